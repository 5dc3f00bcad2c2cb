/**
 * Stages a venue node takes from the hub (docs/VENUES.md "Stages"). The hub's state answer carries
 * the stages the venue mirrors; a node whose digest differs from the hub's only by them records
 * them in its own log as one `venue.stages` entry — each stage exactly as the hub holds it, its
 * `seq` included (the node could not recompute it: it does not follow other venues' stages) —
 * instead of replaying the hub's whole log. The entry replays like a control command (rebuild.ts,
 * restore.ts), so every ranking and the control state stay reproducible from the node's log, and
 * its screens get `stage:update` as for a `stage.set`. It is not a command: no transport accepts it.
 */
import { z } from 'zod';
import { parseStageId } from '../../shared/stages.ts';
import { idSchema } from '../../shared/text.ts';
import type { Competition } from '../../shared/model.ts';
import type { Commit } from '../store/types.ts';
import { roundState, toPublicControl, type ControlState, type OnStage } from './control.ts';
import { PodiumError } from './errors.ts';
import type { Plan, PlanReads } from './plan.ts';
import { findEvent, findRound } from './policy.ts';
import { stageView } from './views.ts';

/** The log entry type of stages taken from the hub. */
export const VENUE_STAGES = 'venue.stages';

/** The actor label of a `venue.stages` entry: the hub, as seen from the node. */
export const HUB_ACTOR = 'venue:hub';

const onStageSchema = z.strictObject({
  roundId: idSchema,
  contestantId: idSchema.nullable(),
  seq: z.number().int().min(1).optional(),
});

/** The payload of a `venue.stages` entry: stage key (`eventId` or `eventId@venueId`) → who is on it. */
export const mirroredStagesSchema = z.strictObject({
  competitionId: idSchema,
  stages: z.record(z.string().max(140), onStageSchema),
});
export type MirroredStages = z.infer<typeof mirroredStagesSchema>;

/** The payload of a `venue.stages` entry, or invalid_payload. */
export function parseMirroredStages(payload: unknown): MirroredStages {
  const parsed = mirroredStagesSchema.safeParse(payload);
  if (!parsed.success) throw new PodiumError('invalid_payload', `${VENUE_STAGES}: malformed payload`);
  return parsed.data;
}

/**
 * The control state with the hub's stages taken in as they are. Each must be of an event, round
 * and venue of the set-up, in a round not finalized (the hub refuses those too), else invalid_payload.
 */
export function applyMirroredStages(
  setup: Competition,
  control: ControlState,
  stages: MirroredStages['stages'],
): ControlState {
  const stage = { ...control.stage };
  for (const [key, { roundId, contestantId, seq }] of Object.entries(stages)) {
    const { eventId, venueId } = parseStageId(key);
    findRound(findEvent(setup, eventId), roundId);
    if (venueId !== undefined && !(setup.venues ?? []).some((v) => v.id === venueId))
      throw new PodiumError('invalid_payload', `${VENUE_STAGES}: unknown venue ${venueId}`);
    if (roundState(control, eventId, roundId) === 'finalized')
      throw new PodiumError('finalized', `round ${roundId} of ${eventId} is finalized`);
    const next: OnStage = { roundId, contestantId };
    if (seq !== undefined) next.seq = seq;
    stage[key] = next;
  }
  return { ...control, stage };
}

/** The commit of a `venue.stages` entry, and a `stage:update` for each stage it sets. */
export async function planMirroredStages(
  { store }: Pick<PlanReads, 'store'>,
  competitionId: string,
  setup: Competition,
  control: ControlState,
  stages: MirroredStages['stages'],
  expect: Commit['expect'],
): Promise<Plan> {
  const next = applyMirroredStages(setup, control, stages);
  const views = await Promise.all(
    Object.entries(stages).map(async ([key, { roundId, contestantId }]) => {
      const { eventId, venueId } = parseStageId(key);
      const sheet =
        contestantId === null
          ? null
          : (await store.getSheet(competitionId, { eventId, roundId, contestantId })).value;
      return stageView(
        competitionId,
        setup,
        findEvent(setup, eventId),
        roundId,
        contestantId,
        sheet,
        venueId,
      );
    }),
  );
  return {
    commit: { expect, sheets: [], boards: [], control: next },
    result: {},
    reset: [],
    stages: views,
    control: toPublicControl(competitionId, next, setup),
  };
}
