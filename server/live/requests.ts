/** Schemas of the non-command socket requests (commands use shared/commands.ts). */
import { z } from 'zod';
import { parseBoardKey } from '../../shared/boards.ts';
import { idSchema } from '../../shared/text.ts';

export const watchSchema = z.strictObject({ competitionId: idSchema });

export const boardRequestSchema = z.strictObject({
  competitionId: idSchema,
  board: z
    .string()
    .max(300)
    .refine((b) => parseBoardKey(b) !== null, 'must be a board id "event|round|scope[|category]"'),
});

/** A judge's worklist of one round; without `roundId`, only the context (set-up, rounds, stages). */
export const sheetsRequestSchema = z.strictObject({ eventId: idSchema, roundId: idSchema.optional() });

export const heartbeatSchema = z.strictObject({ eventId: idSchema });

/** Most board rooms one socket may be in at once (a screen shows a handful). */
export const MAX_BOARDS_PER_SOCKET = 32;
/** Most competitions one socket may watch at once. */
export const MAX_WATCHES_PER_SOCKET = 8;

/** How many rooms of `socket.rooms` start with `prefix`. */
export function countRooms(rooms: ReadonlySet<string>, prefix: string): number {
  let n = 0;
  for (const room of rooms) if (room.startsWith(prefix)) n += 1;
  return n;
}
