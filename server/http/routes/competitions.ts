/** Public competition facts, the set-up, and every command through the ContestService. */
import { randomUUID } from 'node:crypto';
import express, { Router, type Request } from 'express';
import {
  commandRegistry,
  isCommandName,
  type BodyLimit,
  type CommandNameOn,
} from '../../../shared/commandRegistry.ts';
import type { Command } from '../../../shared/commands.ts';
import type { CompetitionSummary } from '../../../shared/events.ts';
import { PodiumError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/actor.ts';
import { CommandGateway, commandOn } from '../../gateway/commandGateway.ts';
import { CompetitionReads } from '../../gateway/reads.ts';
import { actorOf, requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { idParam } from '../validate.ts';

/** The body limit of a command request (the registry's; an unknown name is refused after a small body). */
function bodyLimitOf(name: string): BodyLimit {
  return isCommandName(name) ? commandRegistry[name].body : 'json';
}

/**
 * The payload of a command request: the body, with the URL's competition id filled in when the
 * body has none. The gateway parses it; `sameCompetition` then checks the id against the URL.
 */
function payloadFrom(req: Request, competitionId: string, name: CommandNameOn<'http'>): unknown {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PodiumError('invalid_payload', 'the body must be a JSON object');
  }
  if (name === 'setup.put' || 'competitionId' in body) return body;
  return { ...body, competitionId };
}

/** Throws unless a parsed command is about the URL's competition. */
function sameCompetition(competitionId: string): (command: Command) => void {
  return (command) => {
    if (command.name === 'setup.put') {
      if (command.payload.competition.id !== competitionId)
        throw new PodiumError('invalid_payload', `competition.id must be "${competitionId}" as in the URL`);
    } else if (command.payload.competitionId !== competitionId) {
      throw new PodiumError('invalid_payload', `competitionId must be "${competitionId}" as in the URL`);
    }
  };
}

/** GET /competitions, GET /competitions/:id, GET+PUT /competitions/:id/setup, POST /competitions/:id/commands/:name. */
export function competitionRoutes(deps: HttpDeps, limits: { json: number; large: number }): Router {
  const { auth, store, service } = deps;
  const router = Router();
  const organiser = requireActor(auth, 'organiser');
  const large = express.json({ limit: limits.large });
  const small = express.json({ limit: limits.json });
  const reads = new CompetitionReads({
    listCompetitionIds: () => store.listCompetitions(),
    getSetup: (id) => service.getSetup(id),
    getControl: (id) => service.getControl(id),
  });
  const gateway = new CommandGateway({
    execute: (actor, command) => service.execute(actor, command),
    limits: { write: (actor) => auth.consumeWrite(actor) },
  });

  /** A command of the URL's competition through the gateway, for an actor the middleware authenticated. */
  function runCommand(req: Request, competitionId: string, name: CommandNameOn<'http'>, actor: Actor) {
    return gateway.run({
      transport: 'http',
      name,
      payload: payloadFrom(req, competitionId, name),
      actor: () => Promise.resolve(actor),
      check: sameCompetition(competitionId),
    });
  }

  router.get('/competitions', async (_req, res) => {
    const competitions: CompetitionSummary[] = (await reads.list()).map((c) => ({
      ...c,
      audience: deps.audience?.(c.id) ?? 0,
    }));
    res.json({ ok: true, competitions });
  });

  router.get('/competitions/:id', async (req, res) => {
    const { competition, control } = await reads.publicFacts(idParam(req, 'id'));
    res.json({ ok: true, competition, control });
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
    const actor = actorOf(res);
    res.json({ ok: true, ...(await runCommand(req, id, 'setup.put', actor)) });
  });

  router.post(
    '/competitions/:id/commands/:name',
    // A team leader may call it too; the policy lets them send only appeal.file for their own team.
    requireActor(auth, 'organiser', 'integration', 'leader'),
    (req, res, next) => (bodyLimitOf(String(req.params.name)) === 'large' ? large : small)(req, res, next),
    async (req, res) => {
      const id = idParam(req, 'id');
      const name = commandOn('http', String(req.params.name));
      res.json({ ok: true, ...(await runCommand(req, id, name, actorOf(res))) });
    },
  );

  return router;
}
