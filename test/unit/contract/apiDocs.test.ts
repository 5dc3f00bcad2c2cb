/**
 * Issue #17: docs/API.md names every HTTP route and every Socket.IO event, so a third party can
 * build a client from it alone (regression: payloads and routes known only from the sources).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const doc = readFileSync(join(root, 'docs', 'API.md'), 'utf8');

/** `/api/...` paths of every route in server/http/routes/. */
function routes(): string[] {
  const dir = join(root, 'server', 'http', 'routes');
  const venue = join(root, 'server', 'venue');
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f)),
    // The venue link's routes (docs/VENUES.md) live with the rest of the venue code.
    ...readdirSync(venue)
      .filter((f) => f.endsWith('Routes.ts'))
      .map((f) => join(venue, f)),
  ];
  return files.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/router\.(?:get|post|put|delete)\(\s*'([^']+)'/g)].map(
      (m) => `/api${m[1] ?? ''}`,
    ),
  );
}

/** Event names declared in shared/events.ts (client → server and server → client). */
function events(): string[] {
  const source = readFileSync(join(root, 'shared', 'events.ts'), 'utf8');
  const names = [...source.matchAll(/^\s+'?([a-z]+(?::[a-z]+)?)'?: \(/gm)].map((m) => m[1] ?? '');
  return [...new Set(names)];
}

describe('docs/API.md', () => {
  it('documents every HTTP route', () => {
    const found = routes();
    expect(found.length).toBeGreaterThan(20);
    // The import route is documented by its two concrete paths.
    const missing = found
      .map((r) => r.replace('/import/:kind', '/import/contestants'))
      .filter((r) => !doc.includes(r));
    expect(missing).toEqual([]);
  });

  it('documents every Socket.IO event', () => {
    const found = events();
    expect(found).toEqual(
      expect.arrayContaining(['board:subscribe', 'board:delta', 'judge:whoami', 'audience']),
    );
    expect(found.filter((e) => !doc.includes(`\`${e}\``))).toEqual([]);
  });

  it('says how to compute places and how to emit events without a payload', () => {
    expect(doc).toContain('never from the rows');
    expect(doc).toContain("socket.emit('judge:whoami', ack)");
    expect(doc).toMatch(/fewer than 2k \+ 1 marks/i);
  });
});
