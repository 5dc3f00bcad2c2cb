/** Sign-in and sign-out for organisers, judges and team leaders. */
import express, { Router } from 'express';
import { z } from 'zod';
import { bearerToken, actorOf, requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { parseWith } from '../validate.ts';

const organiserSignIn = z.strictObject({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
const judgeSignIn = z.strictObject({ code: z.string().min(1).max(32) });

/** POST /auth/organiser, POST /auth/judge, POST /auth/leader, POST /auth/signout, GET /auth/me. */
export function authRoutes({ auth }: HttpDeps, jsonLimit: number): Router {
  const router = Router();
  const json = express.json({ limit: jsonLimit });

  router.post('/auth/organiser', json, async (req, res) => {
    const body = parseWith(organiserSignIn, req.body);
    const session = await auth.signInOrganiser(body.user, body.password, req.ip ?? 'unknown');
    res.json({ ok: true, ...session });
  });

  router.post('/auth/judge', json, async (req, res) => {
    const body = parseWith(judgeSignIn, req.body);
    const session = await auth.signInJudge(body.code, req.ip ?? 'unknown');
    res.json({ ok: true, ...session });
  });

  // A team leader signs in with the team's code, like a judge (same code format, limits, revocation).
  router.post('/auth/leader', json, async (req, res) => {
    const body = parseWith(judgeSignIn, req.body);
    const session = await auth.signInLeader(body.code, req.ip ?? 'unknown');
    res.json({ ok: true, ...session });
  });

  router.post('/auth/signout', requireActor(auth, 'organiser', 'judge', 'leader'), async (req, res) => {
    await auth.signOut(bearerToken(req) ?? '');
    res.json({ ok: true });
  });

  router.get('/auth/me', requireActor(auth, 'organiser', 'judge', 'integration', 'leader'), (_req, res) => {
    res.json({ ok: true, actor: actorOf(res) });
  });

  return router;
}
