/**
 * Every text the clients show exists in both languages: each dictionary names the same keys in
 * zh-CN and English, and every key a page passes to t() is in some dictionary in both (regression:
 * a key missing in English shows Chinese, or the bare key, on an English page).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Dictionary } from '../../../client/src/lib/i18n/types.ts';

// Two dictionaries register themselves on import; the runes module needs Svelte's compiler.
vi.mock('../../../client/src/lib/i18n.svelte.ts', () => ({ registerDictionary: () => undefined }));

const root = join(import.meta.dirname, '..', '..', '..');
const clientSrc = join(root, 'client', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const sources = files(clientSrc).filter((f) => f.endsWith('.ts') || f.endsWith('.svelte'));

function isDictionary(value: unknown): value is Dictionary {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d['zh-CN'] === 'object' && d['zh-CN'] !== null && typeof d.en === 'object' && d.en !== null;
}

/** Every exported dictionary of the files that declare one, by file. */
async function dictionaries(): Promise<Array<{ file: string; name: string; dictionary: Dictionary }>> {
  const declaring = sources.filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.svelte.ts') && /\bDictionary\b/.test(readFileSync(f, 'utf8')),
  );
  const found: Array<{ file: string; name: string; dictionary: Dictionary }> = [];
  for (const file of declaring) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (isDictionary(value)) found.push({ file: relative(root, file), name, dictionary: value });
  }
  return found;
}

describe('client translations', () => {
  it('each dictionary has the same keys in zh-CN and English', async () => {
    const all = await dictionaries();
    expect(all.length).toBeGreaterThan(10);
    const uneven = all.flatMap(({ file, name, dictionary }) => {
      const zh = Object.keys(dictionary['zh-CN']);
      const en = Object.keys(dictionary.en);
      return [
        ...zh.filter((k) => !en.includes(k)).map((k) => `${file} ${name}: "${k}" has no English`),
        ...en.filter((k) => !zh.includes(k)).map((k) => `${file} ${name}: "${k}" has no Chinese`),
      ];
    });
    expect(uneven).toEqual([]);
  });

  it('every key a page passes to t() is translated in both languages', async () => {
    const zh = new Set<string>();
    const en = new Set<string>();
    for (const { dictionary } of await dictionaries()) {
      for (const k of Object.keys(dictionary['zh-CN'])) zh.add(k);
      for (const k of Object.keys(dictionary.en)) en.add(k);
    }
    const missing: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      // t('a.b'), t("a.b"), t(`a.b`) with a fixed key; t(`a.${x}`) needs some key starting with `a.`.
      for (const m of text.matchAll(/\bt\(\s*(?:'([^'\n]+)'|"([^"\n]+)"|`([^`\n]+)`)/g)) {
        const literal = m[1] ?? m[2] ?? m[3] ?? '';
        const prefix = literal.includes('${') ? literal.slice(0, literal.indexOf('${')) : null;
        const known = (keys: Set<string>) =>
          prefix === null ? keys.has(literal) : [...keys].some((k) => k.startsWith(prefix));
        if (!known(zh) || !known(en)) missing.push(`${relative(root, file)}: t('${literal}')`);
      }
    }
    expect(missing).toEqual([]);
  });
});
