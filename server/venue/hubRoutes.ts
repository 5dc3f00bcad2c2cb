/**
 * The hub's venue routes (docs/API.md "Venue link", docs/VENUES.md):
 *   POST   /venue-link/forward                     venue key: forward accepted judge commands
 *   GET    /venue-link/state                       venue key: digest and overall places
 *   GET    /venue-link/archive                     venue key: the competition, to resync from
 *   POST   /competitions/:id/venues/:venueId/key   organiser: issue the venue's key (shown once)
 *   DELETE /competitions/:id/venues/:venueId/key   organiser: revoke it
 *   GET    /competitions/:id/venues                organiser: every venue's link at a glance
 *   GET    /competitions/:id/venue-refusals        organiser: venue commands the hub refused;
 *                                                  a venue's chief judge: that venue's
 */
import express, { Router, type Request } from 'express';
import { forwardRequestSchema, stateQuerySchema } from '../../shared/venueLink.ts';
import type { RefusalsResponse, VenuesResponse } from '../../shared/venueStatus.ts';
import { PodiumError } from '../domain/errors.ts';
import { actorOf, requireActor } from '../http/authenticate.ts';
import type { HttpDeps } from '../http/deps.ts';
import { idParam, parseWith } from '../http/validate.ts';
import { VenueHub } from './hubLink.ts';
import { siteClock } from './siteClock.ts';
import { VenueKeys, type VenueIdentity } from './venueKeys.ts';

/** A forward batch: 200 entries of a few hundred bytes each. */
export const FORWARD_BODY_LIMIT = 1024 * 1024;

export function venueHubRoutes(deps: HttpDeps): Router {
  const router = Router();
  const keys = new VenueKeys(deps.store);
  const hub = new VenueHub({
    store: deps.store,
    service: deps.service,
    clock: siteClock(),
    logger: deps.logger,
  });
  const organiser = requireActor(deps.auth, 'organiser');
  const venue = (req: Request): Promise<VenueIdentity> =>
    keys.verify(req.get('authorization'), req.ip ?? 'unknown');

  router.post('/venue-link/forward', express.json({ limit: FORWARD_BODY_LIMIT }), async (req, res) => {
    const identity = await venue(req);
    res.json(await hub.forward(identity, parseWith(forwardRequestSchema, req.body)));
  });
  router.get('/venue-link/state', async (req, res) => {
    const identity = await venue(req);
    const report = parseWith(stateQuerySchema, req.query);
    res.json(
      await hub.state(
        identity,
        report.judgesOnline === undefined || report.waiting === undefined
          ? undefined
          : { judgesOnline: report.judgesOnline, waiting: report.waiting },
      ),
    );
  });
  router.get('/venue-link/archive', async (req, res) => {
    const identity = await venue(req);
    res.json({ ok: true, competitionId: identity.competitionId, ...(await hub.archive(identity)) });
  });

  const venueOf = async (req: Request): Promise<VenueIdentity> => {
    const competitionId = idParam(req, 'id');
    const venueId = idParam(req, 'venueId');
    const setup = (await deps.store.getSetup(competitionId)).value;
    if (setup === null) throw new PodiumError('not_found', `no competition ${competitionId}`);
    if (!(setup.venues ?? []).some((v) => v.id === venueId))
      throw new PodiumError('not_found', `no venue ${venueId} in competition ${competitionId}`);
    return { competitionId, venueId };
  };
  router.post('/competitions/:id/venues/:venueId/key', organiser, async (req, res) => {
    const identity = await venueOf(req);
    res.json({ ok: true, venueId: identity.venueId, key: await keys.issue(identity) });
  });
  router.delete('/competitions/:id/venues/:venueId/key', organiser, async (req, res) => {
    res.json({ ok: true, revoked: await keys.revoke(await venueOf(req)) });
  });
  router.get('/competitions/:id/venues', organiser, async (req, res) => {
    const competitionId = idParam(req, 'id');
    const setup = (await deps.store.getSetup(competitionId)).value;
    const links = await hub.links(competitionId);
    const venues = await Promise.all(
      (setup?.venues ?? []).map(async (v) => ({
        ...v,
        ...links.find((l) => l.venueId === v.id),
        hasKey: await keys.has({ competitionId, venueId: v.id }),
      })),
    );
    const body: VenuesResponse = { ok: true, competitionId, venues };
    res.json(body);
  });
  router.get(
    '/competitions/:id/venue-refusals',
    requireActor(deps.auth, 'organiser', 'judge'),
    async (req, res) => {
      const competitionId = idParam(req, 'id');
      const actor = actorOf(res);
      let refusals = await hub.refusals(competitionId);
      if (actor.kind === 'judge') {
        // A venue's chief judge sees the refusals of their own venue only.
        const setup = (await deps.store.getSetup(competitionId)).value;
        const venueId = setup?.judges.find((j) => j.id === actor.judgeId)?.venueId;
        if (actor.competitionId !== competitionId || actor.role !== 'chief' || venueId === undefined)
          throw new PodiumError(
            'forbidden',
            'only the organiser and a venue’s chief judge see venue refusals',
          );
        refusals = refusals.filter((r) => r.venueId === venueId);
      }
      const body: RefusalsResponse = { ok: true, refusals };
      res.json(body);
    },
  );
  return router;
}
