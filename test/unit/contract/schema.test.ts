/**
 * Issue #17: docs/schema/ (the JSON Schema of every payload) is generated from the zod schemas;
 * this fails when a schema changed and `npm run schema` was not run, so the published schemas
 * never drift from what the server validates and sends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../../scripts/schema/catalog.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'docs', 'schema');

describe('docs/schema', () => {
  it('is up to date with the zod schemas (regression: payload fields documented only in TypeScript)', () => {
    const expected = schemaFiles();
    const present = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(present.sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      expect(readFileSync(join(dir, name), 'utf8'), `docs/schema/${name} is stale: run npm run schema`).toBe(
        text,
      );
    }
  });

  it('has a schema for every board payload a third party reads', () => {
    const names = [...schemaFiles().keys()];
    expect(names).toEqual(
      expect.arrayContaining(['BoardSnapshot.json', 'BoardDelta.json', 'RankedRow.json']),
    );
  });
});
