/** Webhook registration (organiser): POST/GET /competitions/:id/webhooks, DELETE …/webhooks/:hookId. */
import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import { registerWebhookSchema, type WebhookRecord } from '../../../shared/webhooks.ts';
import { PodiumError } from '../../domain/errors.ts';
import type { Store } from '../../store/types.ts';
import { requireActor } from '../authenticate.ts';
import type { HttpDeps } from '../deps.ts';
import { asWebhook, WEBHOOK_NS, type WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { LogHeads } from '../logHead.ts';
import { idParam, parseWith } from '../validate.ts';
import { setupFor } from './results.ts';

/** At most this many webhooks per competition. */
export const MAX_WEBHOOKS = 10;

async function hooksOf(store: Store, competitionId: string): Promise<WebhookRecord[]> {
  return (await store.listRecords(WEBHOOK_NS))
    .map((r) => asWebhook(r.value))
    .filter((h): h is WebhookRecord => h !== null && h.competitionId === competitionId)
    .sort((a, b) => a.createdAt - b.createdAt);
}

function shown(hook: WebhookRecord) {
  const { secret: _secret, ...rest } = hook;
  return rest;
}

/** The webhook routes; new webhooks are handed to `dispatcher` at once. */
export function webhookRoutes(deps: HttpDeps, dispatcher: WebhookDispatcher, jsonLimit: number): Router {
  const router = Router();
  const organiser = requireActor(deps.auth, 'organiser');
  const heads = new LogHeads(deps.store);

  router.post(
    '/competitions/:id/webhooks',
    organiser,
    express.json({ limit: jsonLimit }),
    async (req, res) => {
      const setup = await setupFor(deps.service, idParam(req, 'id'));
      const body = parseWith(registerWebhookSchema, req.body ?? {});
      if ((await hooksOf(deps.store, setup.id)).length >= MAX_WEBHOOKS) {
        throw new PodiumError('conflict', `at most ${MAX_WEBHOOKS} webhooks per competition`);
      }
      const hook: WebhookRecord = {
        id: randomBytes(8).toString('hex'),
        competitionId: setup.id,
        url: body.url,
        secret: randomBytes(32).toString('base64url'),
        audience: body.audience,
        cursor: (await heads.head(setup.id)) ?? null,
        createdAt: Date.now(),
        failures: 0,
        lastError: null,
      };
      await deps.store.putRecord(WEBHOOK_NS, hook.id, hook);
      dispatcher.add(hook.id);
      res.json({ ok: true, ...hook });
    },
  );

  router.get('/competitions/:id/webhooks', organiser, async (req, res) => {
    const setup = await setupFor(deps.service, idParam(req, 'id'));
    res.json({ ok: true, webhooks: (await hooksOf(deps.store, setup.id)).map(shown) });
  });

  router.delete('/competitions/:id/webhooks/:hookId', organiser, async (req, res) => {
    const id = idParam(req, 'id');
    const hookId = idParam(req, 'hookId');
    const hook = asWebhook(await deps.store.getRecord(WEBHOOK_NS, hookId));
    if (hook === null || hook.competitionId !== id)
      throw new PodiumError('not_found', `no webhook ${hookId}`);
    await deps.store.deleteRecord(WEBHOOK_NS, hookId);
    res.json({ ok: true, deleted: true });
  });

  return router;
}
