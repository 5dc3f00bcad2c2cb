/** The console's team field: what a typed or picked text means as a team id. */
import type { Team } from '../../../shared/model.ts';

/**
 * The id of the team named `typed` (exact name first, then exact id), '' for no team. Text that
 * names no team is kept as typed, so the set-up check reports the unknown team instead of
 * silently dropping it.
 */
export function teamIdFor(teams: readonly Team[], typed: string): string {
  const text = typed.trim();
  if (text === '' || text === '—') return '';
  return teams.find((team) => team.name === text)?.id ?? teams.find((team) => team.id === text)?.id ?? text;
}
