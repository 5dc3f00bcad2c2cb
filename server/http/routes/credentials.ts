/**
 * Judge access codes and team-leader codes (each with a sign-in link and QR code) and integration
 * API keys, for organisers.
 */
import express, { Router } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Competition, Judge, Team } from '../../../shared/model.ts';
import { idSchema, safeText } from '../../../shared/text.ts';
import { PodiumError } from '../../domain/errors.ts';
import type { Store } from '../../store/types.ts';
import { actorOf, requireActor } from '../authenticate.ts';
import { publicUrlOf, type HttpDeps } from '../deps.ts';
import { idParam, parseWith } from '../validate.ts';

export interface IssuedCode {
  judgeId: string;
  name: string;
  role: Judge['role'];
  /** Shown once; Podium keeps only its hash. */
  code: string;
  /** Opens the judge app already signed in. The code is in the fragment, never sent to a server log. */
  url: string;
  /** The URL as a QR code: an SVG image as a data URL, printable as is. */
  qr: string;
}

/** A team leader's code, issued like a judge's; the link opens the team leader page. */
export interface IssuedLeaderCode {
  teamId: string;
  name: string;
  code: string;
  url: string;
  qr: string;
}

/** A sign-in link as a QR code: an SVG image as a data URL, printable as is. */
async function qrOf(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

async function setupOf(store: Store, competitionId: string): Promise<Competition> {
  const setup = (await store.getSetup(competitionId)).value;
  if (setup === null) throw new PodiumError('not_found', `no competition ${competitionId}`);
  return setup;
}

const judgesOf = async (store: Store, id: string): Promise<Judge[]> => (await setupOf(store, id)).judges;
const teamsOf = async (store: Store, id: string): Promise<Team[]> => (await setupOf(store, id)).teams;

const bulkBody = z.strictObject({ judgeIds: z.array(idSchema).max(2_000).optional() }).default({});
const leaderBulkBody = z.strictObject({ teamIds: z.array(idSchema).max(10_000).optional() }).default({});
const apiKeyBody = z.strictObject({ label: safeText(80) });

/** Judge codes, team-leader codes and API keys under /competitions/:id. */
export function credentialRoutes(deps: HttpDeps, jsonLimit: number): Router {
  const { auth, store } = deps;
  const router = Router();
  const organiser = requireActor(auth, 'organiser');
  const json = express.json({ limit: jsonLimit });

  async function issue(competitionId: string, judge: Judge): Promise<IssuedCode> {
    const { code } = await auth.issueJudgeCode(competitionId, judge.id);
    const url = `${publicUrlOf(deps)}/judge/#code=${encodeURIComponent(code)}`;
    return { judgeId: judge.id, name: judge.name, role: judge.role, code, url, qr: await qrOf(url) };
  }

  async function issueLeader(competitionId: string, team: Team): Promise<IssuedLeaderCode> {
    const { code } = await auth.issueLeaderCode(competitionId, team.id);
    const url = `${publicUrlOf(deps)}/leader/#code=${encodeURIComponent(code)}`;
    return { teamId: team.id, name: team.name, code, url, qr: await qrOf(url) };
  }

  router.post('/competitions/:id/judges/:judgeId/code', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const judgeId = idParam(req, 'judgeId');
    const judge = (await judgesOf(store, id)).find((j) => j.id === judgeId);
    if (judge === undefined) throw new PodiumError('not_found', `no judge ${judgeId} in competition ${id}`);
    res.json({ ok: true, ...(await issue(id, judge)) });
  });

  router.delete('/competitions/:id/judges/:judgeId/code', organiser, async (req, res) => {
    const revoked = await auth.revokeJudgeCode(idParam(req, 'id'), idParam(req, 'judgeId'));
    res.json({ ok: true, revoked });
  });

  // Which judges hold a valid code (never the codes: those are shown only when issued).
  router.get('/competitions/:id/judge-codes', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const judges = await judgesOf(store, id);
    res.json({
      ok: true,
      active: await auth.judgesWithCodes(
        id,
        judges.map((j) => j.id),
      ),
    });
  });

  router.post('/competitions/:id/judge-codes', organiser, json, async (req, res) => {
    const id = idParam(req, 'id');
    const { judgeIds } = parseWith(bulkBody, req.body ?? {});
    const judges = await judgesOf(store, id);
    const chosen = judgeIds === undefined ? judges : judges.filter((j) => judgeIds.includes(j.id));
    const missing = (judgeIds ?? []).filter((j) => !judges.some((x) => x.id === j));
    if (missing.length > 0)
      throw new PodiumError('not_found', `no judge ${missing.join(', ')} in competition ${id}`);
    const codes: IssuedCode[] = [];
    for (const judge of chosen) codes.push(await issue(id, judge));
    res.json({ ok: true, codes });
  });

  router.post('/competitions/:id/teams/:teamId/leader-code', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const teamId = idParam(req, 'teamId');
    const team = (await teamsOf(store, id)).find((t) => t.id === teamId);
    if (team === undefined) throw new PodiumError('not_found', `no team ${teamId} in competition ${id}`);
    res.json({ ok: true, ...(await issueLeader(id, team)) });
  });

  router.delete('/competitions/:id/teams/:teamId/leader-code', organiser, async (req, res) => {
    const revoked = await auth.revokeLeaderCode(idParam(req, 'id'), idParam(req, 'teamId'));
    res.json({ ok: true, revoked });
  });

  // Which teams hold a valid leader code (never the codes).
  router.get('/competitions/:id/leader-codes', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const teams = await teamsOf(store, id);
    res.json({
      ok: true,
      active: await auth.teamsWithLeaderCodes(
        id,
        teams.map((t) => t.id),
      ),
    });
  });

  router.post('/competitions/:id/leader-codes', organiser, json, async (req, res) => {
    const id = idParam(req, 'id');
    const { teamIds } = parseWith(leaderBulkBody, req.body ?? {});
    const teams = await teamsOf(store, id);
    const missing = (teamIds ?? []).filter((t) => !teams.some((x) => x.id === t));
    if (missing.length > 0)
      throw new PodiumError('not_found', `no team ${missing.join(', ')} in competition ${id}`);
    const codes: IssuedLeaderCode[] = [];
    for (const team of teams)
      if (teamIds === undefined || teamIds.includes(team.id)) codes.push(await issueLeader(id, team));
    res.json({ ok: true, codes });
  });

  router.get('/competitions/:id/api-keys', organiser, async (req, res) => {
    res.json({ ok: true, keys: await auth.listApiKeys(idParam(req, 'id')) });
  });

  router.post('/competitions/:id/api-keys', organiser, json, async (req, res) => {
    const id = idParam(req, 'id');
    const { label } = parseWith(apiKeyBody, req.body);
    if ((await store.getSetup(id)).value === null) throw new PodiumError('not_found', `no competition ${id}`);
    res.json({ ok: true, ...(await auth.issueApiKey(id, label, actorOf(res))) });
  });

  router.delete('/competitions/:id/api-keys/:keyId', organiser, async (req, res) => {
    const keyId = String(req.params.keyId);
    const revoked = await auth.revokeApiKey(idParam(req, 'id'), keyId);
    if (!revoked) throw new PodiumError('not_found', `no API key ${keyId} in this competition`);
    res.json({ ok: true, revoked });
  });

  return router;
}
