/** Where a round's reveal ceremony stands, as every public page shows it. */
import type { RevealState } from '../../../shared/events.ts';

export type RevealPhase = 'live' | 'frozen' | 'revealing' | 'final';

/**
 * The phase of a round: live (not frozen), frozen (nothing revealed yet), revealing (steps taken,
 * results still pending) or final (every result shown after a ceremony, or the round finalized).
 */
export function revealPhase(
  freeze: { revealed: number } | null,
  reveal: RevealState | null,
  roundState: string | null,
): RevealPhase {
  if (freeze === null) return roundState === 'finalized' ? 'final' : 'live';
  if (reveal === null) return 'frozen';
  const left = reveal.pending.length + reveal.hidden.length;
  if (left > 0) return freeze.revealed > 0 ? 'revealing' : 'frozen';
  return freeze.revealed > 0 || roundState === 'finalized' || roundState === 'closed' ? 'final' : 'frozen';
}

/** How many reveal steps are left (0 when not frozen or not known yet). */
export function revealLeft(reveal: RevealState | null): number {
  return reveal === null ? 0 : reveal.pending.length + reveal.hidden.length;
}
