/** How official a printed or verified result is (shared/official.ts, docs/RULES.md §13). */
import { describe, expect, it } from 'vitest';
import type { ContestEvent } from '../../../shared/model.ts';
import { noticeEndsAt, officialStatus } from '../../../shared/official.ts';

const event = {
  id: 'weld',
  rounds: [
    { id: 'r1', weight: '0.4' },
    { id: 'r2', weight: '0.6' },
  ],
} as unknown as ContestEvent;

describe('officialStatus', () => {
  it('is provisional until the round is finalized', () => {
    expect(officialStatus(event, 'r1', { rounds: { 'weld|r1': 'closed' } }, 0)).toBe('provisional');
  });

  it('is finalized (on public notice) until the notice ends, then final', () => {
    const control = {
      rounds: { 'weld|r1': 'finalized' as const },
      notices: { 'weld|r1': { endsAt: 1_000 } },
    };
    expect(officialStatus(event, 'r1', control, 999)).toBe('finalized');
    expect(officialStatus(event, 'r1', control, 1_000)).toBe('final');
  });

  it('is final at once when finalize set no notice period', () => {
    expect(officialStatus(event, 'r1', { rounds: { 'weld|r1': 'finalized' } }, 0)).toBe('final');
  });

  it('for the overall result, waits for every counted round and every notice', () => {
    const one = { rounds: { 'weld|r1': 'finalized' as const, 'weld|r2': 'open' as const } };
    expect(officialStatus(event, 'overall', one, 0)).toBe('provisional');
    const both = {
      rounds: { 'weld|r1': 'finalized' as const, 'weld|r2': 'finalized' as const },
      notices: { 'weld|r2': { endsAt: 500 } },
    };
    expect(officialStatus(event, 'overall', both, 100)).toBe('finalized');
    expect(officialStatus(event, 'overall', both, 500)).toBe('final');
  });

  it("names the end of the notice a page shows, the latest of an overall's rounds, none once over", () => {
    const control = {
      rounds: { 'weld|r1': 'finalized' as const, 'weld|r2': 'finalized' as const },
      notices: { 'weld|r1': { endsAt: 800 }, 'weld|r2': { endsAt: 500 } },
    };
    expect(noticeEndsAt(event, 'r2', control, 100)).toBe(500);
    expect(noticeEndsAt(event, 'overall', control, 100)).toBe(800);
    expect(noticeEndsAt(event, 'overall', control, 600)).toBe(800);
    expect(noticeEndsAt(event, 'overall', control, 800)).toBeNull();
  });
});
