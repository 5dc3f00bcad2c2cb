/** Public competition facts, the set-up, and every command through the ContestService. */
import { randomUUID } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { commandSchemas, putSetupSchema, type Command, type CommandName } from '../../../shared/commands.ts';
import type { CompetitionSummary } from '../../../shared/events.ts';
import { parseControl, toPublicControl } from '../../domain/control.ts';
import { PodiumError } from '../../domain/errors.ts';
import { publicCompetition } from '../../domain/views.ts';
import { actorOf, requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam, parseWith } from '../validate.ts';

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandSchemas, name);
}

/**
 * The command of a request: the body parsed with the command's schema, the URL's competition id
 * filled in when the body has none (and checked when it has one).
 */
export function commandFrom(req: Request, competitionId: string, name: string): Command {
  if (!isCommandName(name)) throw new PodiumError('not_found', `no command "${name}"`);
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PodiumError('invalid_payload', 'the body must be a JSON object');
  }
  if (name === 'setup.put') {
    const payload = parseWith(putSetupSchema, body);
    if (payload.competition.id !== competitionId) {
      throw new PodiumError('invalid_payload', `competition.id must be "${competitionId}" as in the URL`);
    }
    return { name, payload };
  }
  const withId = 'competitionId' in body ? body : { ...body, competitionId };
  const payload = parseWith(commandSchemas[name], withId);
  if (payload.competitionId !== competitionId) {
    throw new PodiumError('invalid_payload', `competitionId must be "${competitionId}" as in the URL`);
  }
  // The schema lookup keeps the name and payload together; TypeScript cannot see that.
  return { name, payload } as Command;
}

/** GET /competitions, GET /competitions/:id, GET+PUT /competitions/:id/setup, POST /competitions/:id/commands/:name. */
export function competitionRoutes(deps: HttpDeps, limits: { json: number; large: number }): Router {
  const { auth, store, service } = deps;
  const router = Router();
  const organiser = requireActor(auth, 'organiser');
  const large = express.json({ limit: limits.large });
  const small = express.json({ limit: limits.json });

  router.get('/competitions', async (_req, res) => {
    const competitions: CompetitionSummary[] = [];
    for (const id of await store.listCompetitions()) {
      const setup = (await store.getSetup(id)).value;
      if (setup === null) continue;
      competitions.push({
        id,
        name: setup.name,
        events: setup.events.map((e) => ({ id: e.id, name: e.name })),
        audience: deps.audience?.(id) ?? 0,
      });
    }
    res.json({ ok: true, competitions });
  });

  router.get('/competitions/:id', async (req, res) => {
    const id = idParam(req, 'id');
    const setup = (await store.getSetup(id)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${id}`);
    const control = parseControl((await store.getControl(id)).value);
    res.json({
      ok: true,
      competition: publicCompetition(setup),
      control: toPublicControl(id, control, setup),
    });
  });

  router.get('/competitions/:id/setup', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const setup = await store.getSetup(id);
    if (setup.value === null) throw new PodiumError('not_found', `no competition ${id}`);
    res.json({ ok: true, competition: setup.value, version: setup.version });
  });

  router.put('/competitions/:id/setup', organiser, large, async (req, res) => {
    const id = idParam(req, 'id');
    const body: unknown = req.body;
    const withOpId =
      typeof body === 'object' && body !== null && !('opId' in body) ? { ...body, opId: randomUUID() } : body;
    req.body = withOpId;
    const command = commandFrom(req, id, 'setup.put');
    const actor = actorOf(res);
    await auth.consumeWrite(actor);
    res.json({ ok: true, ...(await service.execute(actor, command)) });
  });

  router.post(
    '/competitions/:id/commands/:name',
    requireActor(auth, 'organiser', 'integration'),
    (req, res, next) => (req.params.name === 'setup.put' ? large : small)(req, res, next),
    async (req, res) => {
      const id = idParam(req, 'id');
      const command = commandFrom(req, id, String(req.params.name));
      const actor = actorOf(res);
      await auth.consumeWrite(actor);
      res.json({ ok: true, ...(await service.execute(actor, command)) });
    },
  );

  return router;
}
