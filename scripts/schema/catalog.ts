/**
 * The JSON Schemas of docs/schema/: one file per payload, generated from the zod schemas that
 * validate it (shared/commands.ts, shared/model.ts, shared/wire.ts). `npm run schema` writes them;
 * test/unit/contract/schema.test.ts fails when a committed file differs from what this produces.
 */
import { z } from 'zod';
import { commandSchemas } from '../../shared/commands.ts';
import { competitionSchema } from '../../shared/model.ts';
import { feedLineSchema } from '../../shared/feed.ts';
import * as results from '../../shared/results.ts';
import { registerWebhookSchema, webhookDeliverySchema } from '../../shared/webhooks.ts';
import * as wire from '../../shared/wire.ts';

interface Entry {
  /** File name under docs/schema/. */
  file: string;
  description: string;
  schema: z.ZodType;
  /** 'input' for what Podium accepts (defaults optional, decimals as number or string), else 'output'. */
  io: 'input' | 'output';
}

const payloads: Entry[] = [
  {
    file: 'Competition.json',
    description: 'A competition set-up (setup.put, PUT …/setup).',
    schema: competitionSchema,
    io: 'input',
  },
  {
    file: 'AckError.json',
    description: 'A refused request (HTTP body or socket ack).',
    schema: wire.ackErrorSchema,
    io: 'output',
  },
  {
    file: 'CommandResult.json',
    description: 'Ack of every accepted write (with ok: true).',
    schema: wire.commandResultSchema,
    io: 'output',
  },
  {
    file: 'SheetSummary.json',
    description: "A contestant's result in a round after a sheet command.",
    schema: wire.sheetSummarySchema,
    io: 'output',
  },
  {
    file: 'BoardRow.json',
    description: 'One row of a board as stored.',
    schema: wire.boardRowSchema,
    io: 'output',
  },
  {
    file: 'RankedRow.json',
    description: 'A board row with its rank.',
    schema: wire.rankedRowSchema,
    io: 'output',
  },
  {
    file: 'DeltaRow.json',
    description: 'A changed row of a board:delta.',
    schema: wire.deltaRowSchema,
    io: 'output',
  },
  {
    file: 'BoardSnapshot.json',
    description: 'Ack of board:subscribe.',
    schema: wire.boardSnapshotSchema,
    io: 'output',
  },
  { file: 'BoardDelta.json', description: 'board:delta push.', schema: wire.boardDeltaSchema, io: 'output' },
  {
    file: 'BoardRequest.json',
    description: 'board:subscribe / board:unsubscribe request and board:reset push.',
    schema: wire.boardRequestSchema,
    io: 'input',
  },
  {
    file: 'WatchRequest.json',
    description: 'competition:watch request.',
    schema: wire.watchRequestSchema,
    io: 'input',
  },
  {
    file: 'StageState.json',
    description: 'stage:update push; stages in competition:watch and judge:sheets acks.',
    schema: wire.stageStateSchema,
    io: 'output',
  },
  {
    file: 'PublicControl.json',
    description: 'control:update push; control in competition:watch, judge:sheets and GET /competitions/:id.',
    schema: wire.publicControlSchema,
    io: 'output',
  },
  {
    file: 'AudienceUpdate.json',
    description: 'audience push.',
    schema: wire.audienceUpdateSchema,
    io: 'output',
  },
  {
    file: 'CompetitionSummary.json',
    description: 'An entry of competition:list and GET /competitions.',
    schema: wire.competitionSummarySchema,
    io: 'output',
  },
  {
    file: 'PublicCompetition.json',
    description: 'The public facts of a competition.',
    schema: wire.publicCompetitionSchema,
    io: 'input',
  },
  {
    file: 'JudgeSession.json',
    description: 'Ack of judge:whoami.',
    schema: wire.judgeSessionSchema,
    io: 'output',
  },
  {
    file: 'JudgeSheetsRequest.json',
    description: 'judge:sheets request.',
    schema: wire.judgeSheetsRequestSchema,
    io: 'input',
  },
  {
    file: 'JudgeSheetLine.json',
    description: 'A line of judge:sheets; sheet:update push.',
    schema: wire.judgeSheetLineSchema,
    io: 'input',
  },
  {
    file: 'HeartbeatRequest.json',
    description: 'presence:heartbeat request.',
    schema: wire.heartbeatRequestSchema,
    io: 'input',
  },
  {
    file: 'PresenceUpdate.json',
    description: 'presence:update push (chief judges).',
    schema: wire.presenceUpdateSchema,
    io: 'output',
  },
  {
    file: 'DivergenceFlag.json',
    description: 'divergence push (chief judges).',
    schema: wire.divergenceFlagSchema,
    io: 'output',
  },
  {
    file: 'ResultsList.json',
    description: 'GET /api/competitions/:id/results: the boards of the set-up.',
    schema: results.resultsListSchema,
    io: 'output',
  },
  {
    file: 'BoardResults.json',
    description: "GET /api/competitions/:id/results/:board: one board's results.",
    schema: results.boardResultsSchema,
    io: 'output',
  },
  {
    file: 'FeedLine.json',
    description: 'One line of GET /api/competitions/:id/event-feed.',
    schema: feedLineSchema,
    io: 'input',
  },
  {
    file: 'WebhookRegistration.json',
    description: 'Body of POST /api/competitions/:id/webhooks.',
    schema: registerWebhookSchema,
    io: 'input',
  },
  {
    file: 'WebhookDelivery.json',
    description: 'Body of every webhook POST (CLICS webhook format).',
    schema: webhookDeliverySchema,
    io: 'input',
  },
];

const commands: Entry[] = Object.entries(commandSchemas).map(([name, schema]) => ({
  file: `command.${name}.json`,
  description: `Payload of the ${name} command (cmd:${name}, POST …/commands/${name}).`,
  schema,
  io: 'input',
}));

/** Every docs/schema/ file name and its exact text. */
export function schemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of [...payloads, ...commands]) {
    const json = {
      $id: `https://podium.invalid/schema/${entry.file}`,
      title: entry.file.replace(/\.json$/, ''),
      description: entry.description,
      ...z.toJSONSchema(entry.schema, { io: entry.io, target: 'draft-2020-12' }),
    };
    files.set(entry.file, `${JSON.stringify(json, null, 2)}\n`);
  }
  return files;
}
