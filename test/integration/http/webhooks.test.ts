/**
 * Issue #17, webhooks: an organiser registers a URL; every change is POSTed to it, HMAC-signed,
 * retried with backoff until a 2xx, in log order, and nothing is lost across a server restart
 * (the cursor is durable in the store). Real HTTP receiver on loopback; the embedded store, so
 * no other test's server (sharing a Redis) can pick these webhooks up — with Redis every node
 * delivers through the same records and lease.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedStore } from '../../../server/store/index.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import type { WebhookDelivery } from '../../../shared/webhooks.ts';
import { webhookDeliverySchema } from '../../../shared/webhooks.ts';
import { putSetup, sampleCompetition, startApi, uniqueId, type Api } from './harness.ts';

const FAST = { firstBackoffMs: 50, maxBackoffMs: 200, pollMs: 50, leaseSeconds: 2 };

interface Receiver {
  url: string;
  /** Deliveries answered 2xx, in arrival order. */
  accepted: Array<{ body: WebhookDelivery; raw: string; signature: string }>;
  attempts: number;
  /** Status to answer with. */
  status: number;
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', accepted: [], attempts: 0, status: 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      r.attempts += 1;
      if (r.status >= 200 && r.status < 300) {
        r.accepted.push({
          body: webhookDeliverySchema.parse(JSON.parse(raw)),
          raw,
          signature: String(req.headers['x-podium-signature']),
        });
      }
      res.writeHead(r.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  r.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/** The tokens delivered, in delivery order. */
function tokens(r: Receiver): string[] {
  return r.accepted.flatMap((d) => d.body.notifications.flatMap((n) => (n.token === null ? [] : [n.token])));
}

describe('webhooks (embedded store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi({ webhooks: FAST });
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function competition(on: Api, token: string): Promise<string> {
    const id = uniqueId('hook');
    await putSetup(on, token, sampleCompetition(id));
    await on.service.execute(
      { kind: 'organiser', id: 'admin' },
      {
        name: 'round.state',
        payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', state: 'open' },
      },
    );
    return id;
  }

  async function mark(on: Api, id: string, contestantId: string, quality: number): Promise<string> {
    const actor: Actor = { kind: 'judge', judgeId: 'j1', competitionId: id, role: 'judge' };
    const result = await on.service.execute(actor, {
      name: 'marks.submit',
      payload: {
        opId: randomUUID(),
        competitionId: id,
        eventId: 'weld',
        roundId: 'r1',
        contestantId,
        marks: { quality: String(quality) },
      },
    });
    return result.logId;
  }

  async function register(on: Api, token: string, id: string, url: string) {
    const res = await on.call(`/competitions/${id}/webhooks`, { method: 'POST', token, json: { url } });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; secret: string };
  }

  it('only organisers register, with an http(s) URL; the secret is shown once', async () => {
    const id = await competition(api, organiser);
    expect(
      (
        await api.call(`/competitions/${id}/webhooks`, {
          method: 'POST',
          json: { url: 'http://127.0.0.1:9/x' },
        })
      ).status,
    ).toBe(401);
    const bad = await api.call(`/competitions/${id}/webhooks`, {
      method: 'POST',
      token: organiser,
      json: { url: 'file:///etc/passwd' },
    });
    expect(bad.status).toBe(400);
    const hook = await register(api, organiser, id, 'http://127.0.0.1:9/x');
    expect(hook.secret).toMatch(/^[\w-]{43}$/);
    const list = (await (await api.call(`/competitions/${id}/webhooks`, { token: organiser })).json()) as {
      webhooks: unknown[];
    };
    expect(list.webhooks).toEqual([expect.objectContaining({ id: hook.id, url: 'http://127.0.0.1:9/x' })]);
    expect(JSON.stringify(list)).not.toContain(hook.secret);
    expect(
      (await api.call(`/competitions/${id}/webhooks/${hook.id}`, { method: 'DELETE', token: organiser }))
        .status,
    ).toBe(200);
  });

  it('delivers every change signed and in order, retrying failures until a 2xx (regression: no push to third parties)', async () => {
    const target = await receiver();
    try {
      target.status = 500;
      const id = await competition(api, organiser);
      const hook = await register(api, organiser, id, target.url);
      const logIds: string[] = [];
      for (let i = 0; i < 8; i++) logIds.push(await mark(api, id, i % 2 ? 'A001' : 'A002', 80 + i));
      await expect.poll(() => target.attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      expect(target.accepted).toEqual([]);
      target.status = 204;
      await expect.poll(() => tokens(target).at(-1), { timeout: 15_000 }).toBe(logIds.at(-1));
      expect(tokens(target)).toEqual(logIds);
      for (const d of target.accepted) {
        expect(d.signature).toBe(`sha256=${createHmac('sha256', hook.secret).update(d.raw).digest('hex')}`);
        expect(d.body.contest_id).toBe(id);
      }
      const rows = target.accepted.flatMap((d) => d.body.notifications).filter((n) => n.type === 'rows');
      expect(rows.at(-1)).toMatchObject({ data: { board: 'weld|r1|individual' } });
    } finally {
      await target.close();
    }
  });

  it('loses nothing across a restart: delivery resumes from the durable cursor', async () => {
    const target = await receiver();
    const dir = mkdtempSync(join(tmpdir(), 'podium-hooks-'));
    let store = await EmbeddedStore.open(dir);
    const first = await startApi({ store, webhooks: FAST });
    let second: Api | undefined;
    try {
      target.status = 503;
      const token = await first.organiserToken();
      const id = await competition(first, token);
      await register(first, token, id, target.url);
      const logIds: string[] = [];
      for (let i = 0; i < 5; i++) logIds.push(await mark(first, id, 'A001', 70 + i));
      await expect.poll(() => target.attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      // The server stops while the receiver is down: nothing was delivered yet.
      await first.stop();
      await store.close();
      expect(target.accepted).toEqual([]);
      target.status = 200;
      store = await EmbeddedStore.open(dir);
      second = await startApi({ store, webhooks: FAST });
      for (let i = 0; i < 3; i++) logIds.push(await mark(second, id, 'A002', 90 + i));
      await expect.poll(() => tokens(target).at(-1), { timeout: 20_000 }).toBe(logIds.at(-1));
      expect(tokens(target)).toEqual(logIds);
    } finally {
      await second?.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      await target.close();
    }
  });
});

describe('webhooks on Redis with two nodes', () => {
  it('delivers each change once, in order, while both nodes run dispatchers (the lease)', async () => {
    const redisUrl = inject('redisUrl');
    const target = await receiver();
    const one = await startApi({ redisUrl, webhooks: FAST });
    const two = await startApi({ redisUrl, webhooks: FAST });
    try {
      const token = await one.organiserToken();
      const id = uniqueId('hook2');
      await putSetup(one, token, sampleCompetition(id));
      await one.service.execute(
        { kind: 'organiser', id: 'admin' },
        {
          name: 'round.state',
          payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1', state: 'open' },
        },
      );
      const res = await one.call(`/competitions/${id}/webhooks`, {
        method: 'POST',
        token,
        json: { url: target.url },
      });
      expect(res.status).toBe(200);
      const logIds: string[] = [];
      for (let i = 0; i < 12; i++) {
        const node = i % 2 === 0 ? one : two;
        const actor: Actor = { kind: 'judge', judgeId: 'j1', competitionId: id, role: 'judge' };
        const result = await node.service.execute(actor, {
          name: 'marks.submit',
          payload: {
            opId: randomUUID(),
            competitionId: id,
            eventId: 'weld',
            roundId: 'r1',
            contestantId: i % 3 ? 'A001' : 'A002',
            marks: { quality: String(60 + i) },
          },
        });
        logIds.push(result.logId);
      }
      await expect.poll(() => tokens(target).at(-1), { timeout: 20_000 }).toBe(logIds.at(-1));
      expect(tokens(target)).toEqual(logIds);
      // Leave no webhook behind for other tests' servers on this Redis to deliver.
      const { id: hookId } = (await res.json()) as { id: string };
      expect(
        (await one.call(`/competitions/${id}/webhooks/${hookId}`, { method: 'DELETE', token })).status,
      ).toBe(200);
    } finally {
      await one.stop();
      await two.stop();
      await target.close();
    }
  });
});
