/** GET /info: what every client may know about this server (no sign-in), e.g. for QR codes. */
import { Router } from 'express';
import type { ServerInfo } from '../../../shared/info.ts';
import { publicUrlOf, type HttpDeps } from '../deps.ts';

/** GET /info. */
export function infoRoutes(deps: Pick<HttpDeps, 'publicUrl' | 'venueStatus'>): Router {
  const router = Router();
  router.get('/info', (_req, res) => {
    const info: ServerInfo = { publicUrl: publicUrlOf(deps), venueNode: deps.venueStatus !== undefined };
    res.json({ ok: true, ...info });
  });
  return router;
}
