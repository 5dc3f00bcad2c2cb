import { describe, expect, it } from 'vitest';
import { dataPath, printAddress, printRequest } from '../../../client/src/print/kind.ts';

describe('print address of the judge consistency report', () => {
  it('round-trips event and optional round, and reads the consistency API', () => {
    for (const r of [null, 'r2']) {
      const address = printAddress({ kind: 'consistency', c: 'nvc', e: 'weld', r });
      const request = printRequest(address.slice(address.indexOf('?')));
      expect(request).toEqual({ kind: 'consistency', c: 'nvc', e: 'weld', r });
      expect(dataPath(request!)).toBe(
        `/competitions/nvc/judge-consistency?event=weld${r === null ? '' : `&round=${r}`}`,
      );
    }
  });

  it('refuses an address without an event', () => {
    expect(printRequest('?c=nvc&kind=consistency')).toBeNull();
  });
});
