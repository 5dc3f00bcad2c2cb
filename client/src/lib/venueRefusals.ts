/**
 * Venue commands the hub refused (docs/VENUES.md "Rules for a partition"), read for the organiser
 * and the venue's chief judge: at the hub GET /api/competitions/:id/venue-refusals, on a venue
 * node GET /api/venue/refusals. Both shapes become one view.
 */
import type { NodeRefusalsResponse, RefusalsResponse } from '../../../shared/venueStatus.ts';
import { contestantOf } from '../../../shared/venueStatus.ts';

export interface RefusalView {
  opId: string;
  venueId: string | null;
  judgeId: string;
  contestantId: string | null;
  /** The command name (marks.submit, …). */
  type: string;
  code: string;
  message: string;
  at: number;
}

const judgeOf = (actor: string): string => actor.replace(/^judge:/, '');

/** A read the server answered with an error status. */
export class ReadFailed extends Error {
  constructor(
    path: string,
    readonly status: number,
  ) {
    super(`GET ${path}: ${status}`);
    this.name = 'ReadFailed';
  }
}

/** An authenticated GET of an /api path (without the /api prefix), parsed as JSON. */
export type ApiGet = <T>(path: string) => Promise<T>;

/** A bearer-token ApiGet (the judge app; the console has its own client). */
export function bearerGet(token: string): ApiGet {
  return async <T>(path: string): Promise<T> => {
    const response = await fetch(`/api${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel(); // an unread body keeps the request open in the browser
      throw new ReadFailed(path, response.status);
    }
    return (await response.json()) as T;
  };
}

/** The refusals this server knows: a node's own, or at the hub the competition's (all, or a chief's venue). */
export async function readRefusals(
  get: ApiGet,
  competitionId: string,
  onNode: boolean,
): Promise<RefusalView[]> {
  if (onNode) {
    const body = await get<NodeRefusalsResponse>('/venue/refusals');
    return body.refusals.map((r) => ({
      opId: r.opId,
      venueId: null,
      judgeId: judgeOf(r.actor),
      contestantId: contestantOf(r.payload) ?? null,
      type: r.type,
      code: r.code,
      message: r.message,
      at: r.at,
    }));
  }
  const body = await get<RefusalsResponse>(
    `/competitions/${encodeURIComponent(competitionId)}/venue-refusals`,
  );
  return body.refusals.map((r) => ({
    opId: r.opId,
    venueId: r.venueId,
    judgeId: judgeOf(r.actor),
    contestantId: r.contestantId ?? null,
    type: r.type,
    code: r.code,
    message: r.message,
    at: r.at,
  }));
}
