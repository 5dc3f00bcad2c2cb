/** The console's date-time fields (appeal deadline, notice end): local minutes and ms, both ways. */
import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from '../../../client/src/admin/dateInput.ts';

describe('datetime-local values', () => {
  it('writes the local date and time to the minute, zero-padded', () => {
    const ms = new Date(2026, 0, 5, 7, 3, 59).getTime();
    expect(toLocalInput(ms)).toBe('2026-01-05T07:03');
  });

  it('reads a value back to the same minute', () => {
    const ms = new Date(2026, 10, 30, 23, 41).getTime();
    expect(fromLocalInput(toLocalInput(ms))).toBe(ms);
  });

  it('reads an empty or broken value as nothing', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('  ')).toBeNull();
    expect(fromLocalInput('not a date')).toBeNull();
  });
});
