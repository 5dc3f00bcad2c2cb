/** Socket.IO room names. A competition id never contains ':' (see shared/text.ts idSchema). */

/** Public viewers of one board. */
export const publicBoardRoom = (competitionId: string, board: string): string =>
  `pub:${competitionId}:${board}`;
/** Staff (organisers) following one board's live ranking. */
export const staffBoardRoom = (competitionId: string, board: string): string =>
  `staff:${competitionId}:${board}`;
/** Everyone following a competition (stage, control, audience); one per namespace. */
export const competitionRoom = (competitionId: string): string => `comp:${competitionId}`;
/** One judge's devices (sheet updates). */
export const judgeRoom = (competitionId: string, judgeId: string): string =>
  `judge:${competitionId}:${judgeId}`;
/** Chief judges of one event (presence, divergence). */
export const chiefRoom = (competitionId: string, eventId: string): string =>
  `chief:${competitionId}:${eventId}`;
