/** Who is asking. Every command and query is authorised for an actor (server/domain/policy.ts). */
export type Actor =
  | { kind: 'public' }
  | { kind: 'organiser'; id: string }
  | { kind: 'judge'; judgeId: string; competitionId: string; role: 'judge' | 'chief' }
  | { kind: 'integration'; keyId: string; competitionId: string };

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
  }
}
