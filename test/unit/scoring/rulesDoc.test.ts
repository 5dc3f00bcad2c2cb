import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readExamples, scoreExample } from './rulesExamples.ts';

// The organisers' rule book is the test's input, so the worked examples cannot drift from the code.
const markdown = readFileSync(new URL('../../../docs/RULES.md', import.meta.url), 'utf8');
const examples = readExamples(markdown);

describe('docs/RULES.md worked examples', () => {
  it('has a worked example for every rule section', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  for (const example of examples) {
    it(`example ${example.title}: Podium shows what the rule book says`, () => {
      const { boards, medals } = scoreExample(example);
      expect(boards).toEqual(example.expect);
      if (example.medals !== undefined) expect(medals).toEqual(example.medals);
    });

    it(`example ${example.title}: the prose states every total it shows`, () => {
      const shown = Object.values(example.expect).flatMap((rows) => rows.map(([, total]) => total));
      for (const total of shown) if (total !== '—') expect(example.prose).toContain(total);
    });
  }
});
