/** Podium's scoring rules: pure, exact functions shared by the server and the clients. */
export type { Divergence, RankInput, ScoringApi, SheetResult } from './types.ts';
export { computeSheet } from './sheet.ts';
export { combineRounds } from './rounds.ts';
export { rankKey } from './rankKey.ts';
export { rankRows } from './rankRows.ts';
export { standingTotal } from './standing.ts';
export { standardise } from './standardise.ts';
export { medalFor, type Medal } from './medals.ts';
export { measuredPoints } from './measure.ts';
