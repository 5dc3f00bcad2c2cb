/**
 * Serving a venue: HTTPS from PODIUM_TLS_CERT / PODIUM_TLS_KEY (a real server process with a
 * certificate made here by openssl), and GET /api/info telling clients the public base URL that QR
 * codes and login cards must carry. Loopback only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lanAddress } from '../../../server/network.ts';
import { spawnPodium, type PodiumProcess } from '../../support/podium-server.ts';
import { PUBLIC_URL, putSetup, sampleCompetition, startApi, uniqueId, type Api } from './harness.ts';

/** GET over HTTPS trusting only `ca`: status and body. */
function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS for venues (PODIUM_TLS_CERT / PODIUM_TLS_KEY)', () => {
  let dir: string;
  let podium: PodiumProcess;
  let cert: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    podium = await spawnPodium({
      env: { PODIUM_TLS_CERT: join(dir, 'cert.pem'), PODIUM_TLS_KEY: join(dir, 'key.pem') },
    });
  }, 60_000);

  afterAll(async () => {
    await podium?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('serves pages and the API over HTTPS with the given certificate, and says so at start', async () => {
    const health = await httpsGet(`https://127.0.0.1:${podium.port}/healthz`, cert);
    expect(health).toEqual({ status: 200, body: 'ok' });
    const info = await httpsGet(`https://127.0.0.1:${podium.port}/api/info`, cert);
    const body = JSON.parse(info.body) as { ok: boolean; publicUrl: string };
    // No PUBLIC_URL: the LAN address (or localhost) on the port listened on, with the https scheme.
    expect(body.ok).toBe(true);
    expect(body.publicUrl).toMatch(new RegExp(`^https://[^/]+:${podium.port}$`));
    expect(podium.output()).toContain('(HTTPS)');
    // The banner gives phones and tablets the LAN address (a string check: no traffic goes there),
    // or warns that only loopback exists.
    const lan = lanAddress();
    if (lan === undefined) expect(podium.output()).toContain('WARNING: this computer has no network address');
    else expect(podium.output()).toContain(`Phones and tablets open https://${lan}:${podium.port}/`);
    expect(body.publicUrl).toBe(
      lan === undefined ? `https://localhost:${podium.port}` : `https://${lan}:${podium.port}`,
    );
    // Plain HTTP is not served on that port.
    await expect(fetch(`http://127.0.0.1:${podium.port}/healthz`)).rejects.toThrow();
  });
});

describe('GET /api/info', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('tells any client, signed in or not, the public base URL for links and QR codes', async () => {
    const response = await api.call('/info');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, publicUrl: PUBLIC_URL, venueNode: false });
  });
});

describe('GET /api/competitions/:id/judge-codes', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('lists the judges holding a valid code, never the codes, to organisers only', async () => {
    const token = await api.organiserToken();
    const id = uniqueId('codes');
    await putSetup(api, token, sampleCompetition(id));
    const active = async () =>
      (await (await api.call(`/competitions/${id}/judge-codes`, { token })).json()) as unknown;
    // No code yet: the console issues the first ones without warning that old codes stop working.
    expect(await active()).toEqual({ ok: true, active: [] });
    const issued = await api.call(`/competitions/${id}/judges/c1/code`, { method: 'POST', token });
    const { code } = (await issued.json()) as { code: string };
    expect(await active()).toEqual({ ok: true, active: ['c1'] });
    expect(JSON.stringify(await active())).not.toContain(code);
    const judge = (await (await api.call('/auth/judge', { method: 'POST', json: { code } })).json()) as {
      token: string;
    };
    expect((await api.call(`/competitions/${id}/judge-codes`, { token: judge.token })).status).toBe(403);
    expect((await api.call(`/competitions/${id}/judge-codes`)).status).toBe(401);
    await api.call(`/competitions/${id}/judges/c1/code`, { method: 'DELETE', token });
    expect(await active()).toEqual({ ok: true, active: [] });
    expect((await api.call(`/competitions/nope-${id}/judge-codes`, { token })).status).toBe(404);
  });
});
