/**
 * What a print page shows, read from its address: /print/?c=&kind=sheets&e=&r=[&p=] | notice&b= |
 * certificates&b=[&p=] | consistency&e=[&r=] (judge consistency report, issue #16).
 */
export type PrintRequest =
  | { kind: 'sheets'; c: string; e: string; r: string; p: string | null }
  | { kind: 'consistency'; c: string; e: string; r: string | null }
  | { kind: 'notice'; c: string; b: string }
  | { kind: 'certificates'; c: string; b: string; p: string | null };

/** The request in `search`, or null when something is missing. */
export function printRequest(search: string): PrintRequest | null {
  const q = new URLSearchParams(search);
  const c = q.get('c');
  const kind = q.get('kind');
  if (c === null || c === '') return null;
  if (kind === 'sheets') {
    const e = q.get('e');
    const r = q.get('r');
    return e && r ? { kind, c, e, r, p: q.get('p') || null } : null;
  }
  if (kind === 'consistency') {
    const e = q.get('e');
    return e ? { kind, c, e, r: q.get('r') || null } : null;
  }
  const b = q.get('b');
  if (!b) return null;
  if (kind === 'notice') return { kind, c, b };
  if (kind === 'certificates') return { kind, c, b, p: q.get('p') || null };
  return null;
}

/** The API path of a request's data. */
export function dataPath(req: PrintRequest): string {
  const base = `/competitions/${encodeURIComponent(req.c)}`;
  if (req.kind === 'sheets') {
    const one = req.p === null ? '' : `&contestant=${encodeURIComponent(req.p)}`;
    return `${base}/print/sheets?event=${encodeURIComponent(req.e)}&round=${encodeURIComponent(req.r)}${one}`;
  }
  if (req.kind === 'notice') return `${base}/print/notice?board=${encodeURIComponent(req.b)}`;
  if (req.kind === 'consistency') {
    const round = req.r === null ? '' : `&round=${encodeURIComponent(req.r)}`;
    return `${base}/judge-consistency?event=${encodeURIComponent(req.e)}${round}`;
  }
  const one = req.p === null ? '' : `&contestant=${encodeURIComponent(req.p)}`;
  return `${base}/print/certificates?board=${encodeURIComponent(req.b)}${one}`;
}

/** The address of a print page (what the console's print menu opens). */
export function printAddress(req: PrintRequest): string {
  const q = new URLSearchParams({ c: req.c, kind: req.kind });
  if (req.kind === 'consistency') {
    q.set('e', req.e);
    if (req.r !== null) q.set('r', req.r);
    return `/print/?${q.toString()}`;
  }
  if (req.kind === 'sheets') {
    q.set('e', req.e);
    q.set('r', req.r);
  } else q.set('b', req.b);
  if (req.kind !== 'notice' && req.p !== null) q.set('p', req.p);
  return `/print/?${q.toString()}`;
}
