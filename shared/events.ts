/**
 * The Socket.IO wire contract, shared by the server and every client.
 *
 * Three namespaces, one per trust level:
 *   /public — spectators, big screens, overlays: read-only, no write event exists here.
 *   /judge  — judges and chief judges: handshake `auth: { token }` from sign-in.
 *   /admin  — organisers: handshake `auth: { token }` from organiser sign-in.
 * Every request-style event takes an acknowledgement callback that receives an Ack.
 */
import type { BoardRow, RankedRow } from './boards.ts';
import type { CommandInput, CommandName } from './commands.ts';
import type { CommandAck, CommandNameOn } from './commandRegistry.ts';
import type { DisplaySettings } from './displays.ts';
import type { Competition, Contestant, Deduction, PerformanceStatus } from './model.ts';

/** Stable error codes; clients switch on these, never on messages. */
export const errorCodes = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'round_not_open',
  'sheet_locked',
  'finalized',
  'conflict',
  'op_id_conflict',
  'restoring',
  'nothing_to_reveal',
  'rate_limited',
  'unavailable',
  'internal',
  'sheet_signed',
  'incomplete',
  'appeal_closed',
  'not_signed',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export type Ack<T> = ({ ok: true } & T) | { ok: false; code: ErrorCode; message: string };
export type AckCallback<T> = (response: Ack<T>) => void;

export type { CommandResult, SheetSummary } from './commandResults.ts';

/**
 * A contestant as judges and the public see them. On an anonymised event before its decode
 * (docs/RULES.md §13, "Anonymised judging") `draw` is set (the drawn number; '' before the draw), `bib` is the drawn
 * number too, and name, organisation, region and team are left out (empty).
 */
export type PublicContestant = Contestant & { draw?: string };

/** Public facts of a competition (no judges' secrets, no names on an anonymised event before decoding). */
export type PublicCompetition = Pick<Competition, 'id' | 'name' | 'events' | 'teams' | 'venues'> & {
  contestants: PublicContestant[];
  /** `venueId`: where the judge scores (docs/VENUES.md); absent: everywhere. */
  judges: Array<{ id: string; name: string; role: 'judge' | 'chief'; eventIds: string[]; venueId?: string }>;
};

/** The draw of an anonymised event as everyone may see it: contestant id → drawn number, never a name. */
export interface PublicDraw {
  numbers: Record<string, string>;
  /** An organiser asked to decode; the chief judge's confirmation is awaited. */
  decodeRequested: boolean;
  /** Names are linked to numbers again (after full sign-off, two people). */
  decoded: boolean;
}

export interface CompetitionSummary {
  id: string;
  name: string;
  events: Array<{ id: string; name: string }>;
  audience: number;
}

export interface BoardSnapshot {
  competitionId: string;
  board: string;
  /** Store version of the board this snapshot reflects. */
  version: number;
  rows: RankedRow[];
  total: number;
  /** True when the public sees a frozen (or partly revealed) ranking. */
  frozen: boolean;
  /** During a freeze: what the reveal ceremony still has to show (public snapshots only). */
  reveal?: RevealState;
}

/**
 * The reveal ceremony's state of a frozen board, as the public sees it. Resolved like the ICPC
 * resolver: the lowest pending row first, one contestant per step.
 */
export interface RevealState {
  /** Shown rows whose result changed since the freeze and is not revealed yet. */
  pending: string[];
  /** Contestants scored since the freeze, not ranked until revealed (best first). */
  hidden: string[];
  /** The contestant the next step reveals (the spotlight), or null when nothing is left. */
  next: string | null;
}

/**
 * A changed row: the new row with its rank when it changed (null for dns/dnf/dsq), and where it
 * was before (null when new or unranked). `rank` is not updated when other rows move past it:
 * clients compute places from rankKeys (docs/API.md, "Keeping a board in sync").
 */
export interface DeltaRow extends RankedRow {
  previousRank: number | null;
  previousTotal: string | null;
}

/**
 * Changes to a board since version `prev`, as final row states. A client at a version v with
 * prev <= v < version applies it; a client below `prev` missed something and must ask for a fresh
 * snapshot. Clients compute places from the rankKeys of every row they hold, never from `rank`.
 */
export interface BoardDelta {
  competitionId: string;
  board: string;
  prev: number;
  version: number;
  rows: DeltaRow[];
  removed: string[];
}

export interface StageJudge {
  judgeId: string;
  name: string;
  marked: boolean;
  /** The judge's weighted mark total; only once every judge has marked (blind judging) or not blind. */
  total: string | null;
}

export interface StageState {
  competitionId: string;
  eventId: string;
  /** The venue whose stage this is (docs/VENUES.md); absent: the event-wide stage. */
  venueId?: string;
  roundId: string;
  contestantId: string | null;
  judges: StageJudge[];
  total: string | null;
  complete: boolean;
}

/** Live state that screens must follow: rounds, freeze/reveal, embargo, finalization. */
export interface PublicControl {
  competitionId: string;
  rounds: Record<string, 'pending' | 'open' | 'closed' | 'finalized'>;
  /** Reveal steps taken; what is left is in the board snapshot's `reveal`. */
  frozen: Record<string, { revealed: number } | undefined>;
  embargoed: string[];
  /** Named big screens (`/screen/?…&d=<name>`) → their settings, pushed live by `display.set`. */
  displays: Record<string, DisplaySettings>;
  /** `eventId|roundId` → the public notice a finalize started: results are final at `endsAt` (ms). */
  notices?: Record<string, { endsAt: number }>;
  /** eventId → time after which appeals are refused. */
  appealDeadlines?: Record<string, number>;
  /** `eventId|roundId` → a qualifying round's recorded line and each move of it (递补). */
  qualification?: Record<
    string,
    { qualifiers: string[]; moves: Array<{ removed: string[]; promoted: string[] }> }
  >;
  /** eventId → the draw of an anonymised event (drawn numbers only; docs/RULES.md §13, "Anonymised judging"). */
  draws?: Record<string, PublicDraw>;
}

export interface AudienceUpdate {
  competitionId: string;
  count: number;
}

/**
 * Sent when a connection asks for more than its limits (docs/API.md, "Limits per connection"):
 * on the first refused frame of a streak, and once more just before the server disconnects it.
 */
export interface LimitNotice {
  code: 'rate_limited';
  /** The event that was refused (cut to 64 characters). */
  event: string;
  message: string;
  /** Wait at least this long before sending that event again (or reconnecting). */
  retryAfterMs: number;
  /** True when the server closes the connection right after this notice. */
  disconnecting: boolean;
}

export interface PublicClientToServer {
  'competition:list': (ack: AckCallback<{ competitions: CompetitionSummary[] }>) => void;
  /** Join a competition's live room: stage, control and audience updates follow. */
  'competition:watch': (
    req: { competitionId: string },
    ack: AckCallback<{ competition: PublicCompetition; control: PublicControl; stages: StageState[] }>,
  ) => void;
  'board:subscribe': (req: { competitionId: string; board: string }, ack: AckCallback<BoardSnapshot>) => void;
  'board:unsubscribe': (req: { competitionId: string; board: string }) => void;
}

export interface PublicServerToClient {
  'board:delta': (delta: BoardDelta) => void;
  /** Sent instead of a delta when the whole view changed (freeze, reveal step, set-up change). */
  'board:reset': (req: { competitionId: string; board: string }) => void;
  'stage:update': (stage: StageState) => void;
  'control:update': (control: PublicControl) => void;
  audience: (update: AudienceUpdate) => void;
  'limit:exceeded': (notice: LimitNotice) => void;
}

export interface JudgeSession {
  judge: { id: string; name: string; role: 'judge' | 'chief'; eventIds: string[]; venueId?: string };
  competitionId: string;
}

/** One line of a judge's worklist. */
export interface JudgeSheetLine {
  eventId: string;
  roundId: string;
  contestantId: string;
  status: PerformanceStatus;
  /** This judge's own marks: criterion id → mark. */
  myMarks: Record<string, string>;
  locked: boolean;
  /** The chief judge signed this result (`sheet.sign`); absent: provisional. */
  signed?: true;
  /** Chief judges only: the measured values and deductions on the sheet. */
  chief?: { measured: Record<string, string>; deductions: Deduction[] };
  /** Other judges' marks, only when the event is not blind or every judge has marked. */
  others: Record<string, Record<string, string>> | null;
}

/** A judge's mark that differs from the other judges' median by more than the criterion's tolerance. */
export interface DivergenceFlag {
  eventId: string;
  roundId: string;
  contestantId: string;
  criterionId: string;
  judgeId: string;
}

export interface JudgePresence {
  judgeId: string;
  online: boolean;
  lastSeen: number | null;
}

/** Command events: `cmd:<name>` for every command a judge/organiser socket may send (shared/commandRegistry.ts). */
export type CommandEvents<N extends CommandName> = {
  [K in N as `cmd:${K}`]: (payload: CommandInput<K>, ack: AckCallback<CommandAck<K>>) => void;
};

/** The commands a judge's tablet may send over /judge: the sheet commands (shared/commandRegistry.ts). */
export type JudgeCommandName = CommandNameOn<'judge-socket'>;

export type JudgeClientToServer = CommandEvents<JudgeCommandName> & {
  'judge:whoami': (ack: AckCallback<JudgeSession>) => void;
  /**
   * The judge's worklist of a round, with what the tablet needs around it: the set-up, round states
   * and who is on stage. Without `roundId` (first start) `lines` is empty.
   */
  'judge:sheets': (
    req: { eventId: string; roundId?: string },
    ack: AckCallback<{
      lines: JudgeSheetLine[];
      competition: PublicCompetition;
      control: PublicControl;
      stages: StageState[];
    }>,
  ) => void;
  /** Sent every few seconds by the tablet. */
  'presence:heartbeat': (req: { eventId: string }) => void;
};

export interface JudgeServerToClient {
  'stage:update': (stage: StageState) => void;
  'sheet:update': (line: JudgeSheetLine) => void;
  'control:update': (control: PublicControl) => void;
  /** Chief judges only. */
  'presence:update': (update: { eventId: string; judges: JudgePresence[] }) => void;
  /** Chief judges only: a sheet whose judges diverge beyond tolerance. */
  divergence: (d: DivergenceFlag) => void;
  'limit:exceeded': (notice: LimitNotice) => void;
}

export type AdminClientToServer = CommandEvents<CommandNameOn<'admin-socket'>> & {
  'board:subscribe': (req: { competitionId: string; board: string }, ack: AckCallback<BoardSnapshot>) => void;
  'competition:watch': (
    req: { competitionId: string },
    ack: AckCallback<{ competition: Competition; control: PublicControl; stages: StageState[] }>,
  ) => void;
};

export interface AdminServerToClient extends JudgeServerToClient {
  'board:delta': (delta: BoardDelta) => void;
  'board:reset': (req: { competitionId: string; board: string }) => void;
  audience: (update: AudienceUpdate) => void;
}

/** Helper for tests and clients: BoardRow fields every delta row carries. */
export type { BoardRow, RankedRow };
