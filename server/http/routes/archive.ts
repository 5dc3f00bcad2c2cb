/**
 * Archive and restore a whole competition.
 *
 * The archive is one JSON document: the set-up, the control state and the full log. The log holds
 * every accepted command as it was executed (type = command name, payload = parsed command,
 * actor, time), so restore re-creates the competition by replaying each entry through a
 * ContestService, as the original actor and with the original time: sheets, boards, control and
 * the audit trail come out as they were, computed by today's rules. (domain/rebuild.ts replays
 * purely but writes nothing; it is used afterwards to check the result.) Restore is all or
 * nothing: if any entry fails, the partly restored competition is deleted again.
 */
import { gunzipSync } from 'node:zlib';
import express, { Router } from 'express';
import { z } from 'zod';
import { commandSchemas, type Command, type CommandName } from '../../../shared/commands.ts';
import { idSchema } from '../../../shared/text.ts';
import { PodiumError } from '../../domain/errors.ts';
import { actorFromLabel, rebuild } from '../../domain/rebuild.ts';
import { ContestService } from '../../domain/service.ts';
import type { LogEntry, Store } from '../../store/types.ts';
import { requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { attachment, logPages, sendChunks } from '../stream.ts';
import { flag, idParam, parseWith } from '../validate.ts';

export const ARCHIVE_FORMAT = 'podium-archive';

const archiveSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(1),
  competitionId: idSchema,
  exportedAt: z.number(),
  setup: z.unknown(),
  control: z.unknown(),
  log: z.array(
    z.object({
      id: z.string(),
      at: z.number(),
      actor: z.string(),
      opId: z.string(),
      type: z.string(),
      payload: z.unknown(),
    }),
  ),
});

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandSchemas, name);
}

/** JSON with object keys sorted, to compare documents whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The command a log entry recorded, or a PodiumError naming the entry. */
function commandOf(entry: Omit<LogEntry, 'id'> & { id: string }): Command {
  if (!isCommandName(entry.type)) {
    throw new PodiumError('invalid_payload', `log entry ${entry.id}: unknown type "${entry.type}"`);
  }
  const parsed = commandSchemas[entry.type].safeParse(entry.payload);
  if (!parsed.success)
    throw new PodiumError('invalid_payload', `log entry ${entry.id}: invalid ${entry.type}`);
  // The schema lookup keeps the name and payload together; TypeScript cannot see that.
  return { name: entry.type, payload: parsed.data } as Command;
}

/** Replay an archive's log into `store` as competition `id`; the number of entries replayed. */
async function replay(store: Store, id: string, log: z.infer<typeof archiveSchema>['log']): Promise<number> {
  let at = 0;
  const replayer = new ContestService({ store, clock: () => at });
  for (const entry of log) {
    const actor = actorFromLabel(entry.actor, id);
    if (actor === null)
      throw new PodiumError('invalid_payload', `log entry ${entry.id}: unknown actor "${entry.actor}"`);
    const command = commandOf(entry);
    at = entry.at;
    try {
      await replayer.execute(actor, command);
    } catch (error) {
      const reason = error instanceof PodiumError ? error.message : 'internal error';
      throw new PodiumError(
        'invalid_payload',
        `log entry ${entry.id} (${entry.type}) cannot be replayed: ${reason}`,
      );
    }
  }
  return log.length;
}

/** GET /competitions/:id/archive (?gzip=1) and POST /competitions/:id/restore (?replace=1). */
export function archiveRoutes(deps: HttpDeps, archiveLimit: number): Router {
  const { auth, store, logger } = deps;
  const router = Router();
  const organiser = requireActor(auth, 'organiser');
  const raw = express.raw({ type: () => true, limit: archiveLimit });

  router.get('/competitions/:id/archive', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const setup = await store.getSetup(id);
    if (setup.value === null) throw new PodiumError('not_found', `no competition ${id}`);
    const control = await store.getControl(id);
    const gzip = flag(req, 'gzip');
    attachment(
      res,
      gzip ? 'application/gzip' : 'application/json; charset=utf-8',
      `${id}-archive.json${gzip ? '.gz' : ''}`,
    );
    const head = { format: ARCHIVE_FORMAT, version: 1, competitionId: id, exportedAt: Date.now() };
    await sendChunks(
      res,
      (async function* () {
        yield `${JSON.stringify(head).slice(0, -1)},"setup":${JSON.stringify(setup.value)},"control":${JSON.stringify(control.value)},"log":[`;
        let first = true;
        for await (const page of logPages(store, id)) {
          yield (first ? '' : ',') + page.map((e) => JSON.stringify(e)).join(',');
          first = false;
        }
        yield ']}';
      })(),
      gzip,
    );
  });

  router.post('/competitions/:id/restore', organiser, raw, async (req, res) => {
    const id = idParam(req, 'id');
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new PodiumError('invalid_payload', 'send the archive as the body');
    let document: unknown;
    try {
      const bytes =
        body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body, { maxOutputLength: archiveLimit * 4 }) : body;
      document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw new PodiumError('invalid_payload', 'the archive is not (gzipped) UTF-8 JSON');
    }
    const archive = parseWith(archiveSchema, document);
    if (archive.competitionId !== id) {
      throw new PodiumError(
        'invalid_payload',
        `this archive is of competition ${archive.competitionId}, not ${id}`,
      );
    }
    if ((await store.getSetup(id)).value !== null) {
      if (!flag(req, 'replace'))
        throw new PodiumError('conflict', `competition ${id} exists: add ?replace=1 to overwrite it`);
      await store.deleteCompetition(id);
    }
    try {
      const entries = await replay(store, id, archive.log);
      const setup = (await store.getSetup(id)).value;
      const control = (await store.getControl(id)).value;
      const verified = {
        setup: stableJson(setup) === stableJson(archive.setup),
        control: stableJson(control) === stableJson(archive.control),
        // The restored boards, sheets and control against a pure replay of the restored log.
        rebuildDifferences: (await rebuild(store, id)).differences.length,
      };
      logger.info({ competitionId: id, entries, verified }, 'competition restored');
      res.json({ ok: true, competitionId: id, entries, verified });
    } catch (error) {
      await store.deleteCompetition(id);
      throw error;
    }
  });

  return router;
}
