/** CSV imports of contestants and judges: all rows valid or nothing imported. */
import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Competition } from '../../../shared/model.ts';
import { opIdSchema } from '../../../shared/text.ts';
import {
  CsvError,
  decodeCsv,
  mergeContestants,
  mergeJudges,
  parseCsv,
  readContestants,
  readJudges,
  type RowError,
} from '../../csv/index.ts';
import { PodiumError } from '../../domain/errors.ts';
import { actorOf, requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { flag, idParam } from '../validate.ts';

type Reader = (
  text: string,
  setup: Competition,
) => { ok: true; merged: Competition; preview: Record<string, unknown> } | { ok: false; errors: RowError[] };

const readers: Record<'contestants' | 'judges', Reader> = {
  contestants(text, setup) {
    const r = readContestants(parseCsv(text), setup);
    if (!r.ok) return r;
    const { contestants, newTeams } = r.value;
    return { ok: true, merged: mergeContestants(setup, r.value), preview: { contestants, newTeams } };
  },
  judges(text, setup) {
    const r = readJudges(parseCsv(text), setup);
    if (!r.ok) return r;
    return { ok: true, merged: mergeJudges(setup, r.value), preview: { judges: r.value } };
  },
};

function sendRowErrors(res: Response, errors: RowError[]): void {
  const lines = [...new Set(errors.map((e) => e.line))].length;
  res.status(400).json({
    ok: false,
    code: 'invalid_payload',
    message: `nothing imported: ${errors.length} problem(s) on ${lines} line(s)`,
    errors,
  });
}

/** An opId from the Idempotency-Key header, so a retried upload is not applied twice. */
function opIdOf(req: Request): string {
  const key = req.get('idempotency-key');
  if (key === undefined) return randomUUID();
  if (!opIdSchema.safeParse(key).success) {
    throw new PodiumError('invalid_payload', "Idempotency-Key: 8-64 letters, digits, '-' or '_'");
  }
  return key;
}

/** POST /competitions/:id/import/contestants and /import/judges (CSV bytes as the body; ?dryRun=1). */
export function importRoutes(deps: HttpDeps, largeLimit: number): Router {
  const { auth, store, service } = deps;
  const router = Router();
  const raw = express.raw({ type: () => true, limit: largeLimit });

  router.post('/competitions/:id/import/:kind', requireActor(auth, 'organiser'), raw, async (req, res) => {
    const id = idParam(req, 'id');
    const kind = req.params.kind;
    if (kind !== 'contestants' && kind !== 'judges')
      throw new PodiumError('not_found', `cannot import "${kind}"`);
    const setup = (await store.getSetup(id)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${id}: put its set-up first`);
    const bytes: unknown = req.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      throw new PodiumError('invalid_payload', 'send the CSV file as the request body');
    }

    let outcome: ReturnType<Reader>;
    try {
      outcome = readers[kind](decodeCsv(bytes).text, setup);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      sendRowErrors(res, [
        { line: error.line, field: '(file)', code: error.code, params: error.params, message: error.message },
      ]);
      return;
    }
    if (!outcome.ok) {
      sendRowErrors(res, outcome.errors);
      return;
    }
    if (flag(req, 'dryRun')) {
      res.json({ ok: true, dryRun: true, ...outcome.preview });
      return;
    }
    const actor = actorOf(res);
    await auth.consumeWrite(actor);
    const result = await service.execute(actor, {
      name: 'setup.put',
      payload: { opId: opIdOf(req), competition: outcome.merged },
    });
    res.json({ ok: true, dryRun: false, ...outcome.preview, ...result });
  });

  return router;
}
