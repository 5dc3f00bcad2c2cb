/** Types of board.mjs (the documented board-sync algorithm) for the TypeScript tests. */
export declare function compareCodePoints(a: string, b: string): number;
export declare function deltaDecision(
  version: number,
  delta: { prev: number; version: number },
): 'stale' | 'apply' | 'gap';
export declare function holdSnapshot<R extends { id: string }>(snapshot: { rows: R[] }): Map<string, R>;
export declare function applyDelta<R extends { id: string }>(
  held: Map<string, R>,
  delta: { rows: R[]; removed: string[] },
): void;
export declare function placesOf<R extends { id: string; rankKey: string }>(
  rows: Iterable<R>,
): Array<R & { place: number }>;
export declare function exactThrough(snapshot: {
  rows: Array<{ rankKey: string }>;
  total: number;
}): string | null;
