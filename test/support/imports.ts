/** The imports of a source file, as the layering and cycle tests read them. */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every module specifier a file imports (static, type-only, re-exports, side effects, dynamic). */
export function specifiersOf(source: string): string[] {
  return [
    ...source.matchAll(/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? '');
}

/** The repository-relative paths a file imports (relative specifiers only). */
export function importsOf(file: string, source: string): string[] {
  return specifiersOf(source)
    .filter((s) => s.startsWith('.'))
    .map((s) =>
      relative(ROOT, resolve(ROOT, dirname(file), s))
        .split('\\')
        .join('/'),
    );
}
