/** Who is asking. Every command and query is authorised for an actor (server/domain/policy.ts). */
export type Actor =
  | { kind: 'public' }
  | { kind: 'organiser'; id: string }
  | { kind: 'judge'; judgeId: string; competitionId: string; role: 'judge' | 'chief' }
  | { kind: 'integration'; keyId: string; competitionId: string }
  /** A team leader (领队) signed in with the team's code: files appeals for the team's contestants. */
  | { kind: 'leader'; teamId: string; competitionId: string };

/** The actor as written in the log ("judge:j1"): never a token or a code. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'public':
      return 'public';
    case 'organiser':
      return `organiser:${actor.id}`;
    case 'judge':
      return `judge:${actor.judgeId}`;
    case 'integration':
      return `integration:${actor.keyId}`;
    case 'leader':
      return `leader:${actor.teamId}`;
  }
}

/**
 * The key of an actor's write budget (auth rate limits). Judge ids are chosen per competition
 * ("j1" exists in many), so a judge's budget is per competition: a busy contest must not throttle
 * a judge of the same id in another one. Team ids are per competition too.
 */
export function writeLimitKey(actor: Actor): string {
  if (actor.kind === 'judge') return `judge:${actor.competitionId}:${actor.judgeId}`;
  if (actor.kind === 'leader') return `leader:${actor.competitionId}:${actor.teamId}`;
  return actorLabel(actor);
}
