/**
 * Archive and restore a whole competition.
 *
 * The archive is one JSON document: the set-up, the control state and the full log. The log holds
 * every accepted command as it was executed (type = command name, payload = parsed command,
 * actor, time), so restore re-creates the competition by replaying each entry (domain/restore.ts).
 * Restore never touches the live competition until the whole archive replayed and verified in the
 * competition's scratch space; then one atomic step swaps it in, in the competition's order of
 * commands, and screens get board:reset (ContestService.restore).
 * A failed restore leaves the competition exactly as it was.
 */
import { gunzipSync } from 'node:zlib';
import express, { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '../../../shared/text.ts';
import { PodiumError } from '../../domain/errors.ts';
import { archiveContentSchema } from '../../domain/restore.ts';
import { requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { attachment, logPages, sendChunks } from '../stream.ts';
import { flag, idParam, parseWith } from '../validate.ts';

export const ARCHIVE_FORMAT = 'podium-archive';

const archiveSchema = archiveContentSchema.extend({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(1),
  competitionId: idSchema,
  exportedAt: z.number(),
});

/** GET /competitions/:id/archive (?gzip=1) and POST /competitions/:id/restore (?replace=1). */
export function archiveRoutes(deps: HttpDeps, archiveLimit: number): Router {
  const { auth, store, logger, service } = deps;
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
    const report = await service.restore(id, flag(req, 'replace'), archive);
    logger.info({ competitionId: id, ...report }, 'competition restored');
    res.json({ ok: true, competitionId: id, ...report });
  });

  return router;
}
