/** The console's read of one round's official results (GET /api/competitions/:id/official). */
import type { OfficialLines } from '../../../shared/officialLines.ts';
import type { AdminApi } from './api.ts';

/** Signatures, appeals, deadline, notice and qualification line of one event round. */
export function readOfficial(
  api: AdminApi,
  competitionId: string,
  eventId: string,
  roundId: string,
): Promise<OfficialLines> {
  const query = new URLSearchParams({ event: eventId, round: roundId });
  return api.get<OfficialLines>(
    `/competitions/${encodeURIComponent(competitionId)}/official?${query.toString()}`,
  );
}
