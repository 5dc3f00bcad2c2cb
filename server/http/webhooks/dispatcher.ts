/**
 * Delivers webhook notifications: one worker per registered webhook follows the competition's log
 * from the webhook's durable cursor, POSTs the lines of up to 50 entries at a time (signed), and
 * moves the cursor only after a 2xx — so a restart resumes where delivery stopped (at least once,
 * in log order). Failures are retried with exponential backoff. With several nodes a short lease
 * (a record with a TTL) keeps one node delivering each webhook.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { FeedLine } from '../../../shared/feed.ts';
import type { WebhookDelivery, WebhookRecord } from '../../../shared/webhooks.ts';
import { entryLines } from '../../domain/feedLines.ts';
import type { BoardReader } from '../../domain/results.ts';
import type { Logger } from '../../logger.ts';
import type { WebhookOptions } from './options.ts';
import type { Store } from '../../store/types.ts';
import type { ChangeSource } from '../deps.ts';

/** Record namespace of registered webhooks. */
export const WEBHOOK_NS = 'webhook';
const LEASE_NS = 'webhook-lease';
const BATCH = 50;

export { DEFAULT_WEBHOOK_OPTIONS, type WebhookOptions } from './options.ts';

/** `sha256=<hex>`: HMAC-SHA256 of the exact body with the webhook's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Parse a stored webhook record (null when it is not one). */
export function asWebhook(value: unknown): WebhookRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<WebhookRecord>;
  return typeof r.id === 'string' && typeof r.url === 'string' && typeof r.secret === 'string'
    ? (value as WebhookRecord)
    : null;
}

/** Runs one delivery worker per registered webhook (see the file comment). */
export class WebhookDispatcher {
  private readonly workers = new Map<string, Promise<void>>();
  private readonly wakers = new Set<() => void>();
  private readonly node = randomUUID();
  private closed = false;
  private readonly stopping = new AbortController();
  /** When this node last took or renewed each webhook's lease. */
  private readonly leases = new Map<string, number>();
  private scan: NodeJS.Timeout | undefined;
  private stopChanges: () => void = () => undefined;

  constructor(
    private readonly deps: { store: Store; reader: BoardReader & ChangeSource; logger: Logger },
    private readonly options: WebhookOptions,
  ) {}

  /** Start delivering every registered webhook (and pick up new ones as they appear). */
  start(): void {
    this.stopChanges = this.deps.reader.onChange(() => this.wakeAll());
    const tick = (): void => {
      void this.refresh().finally(() => {
        if (!this.closed) this.scan = setTimeout(tick, this.options.pollMs * 5).unref();
      });
    };
    tick();
  }

  /** Start a worker for a webhook registered just now. */
  add(id: string): void {
    if (this.closed || this.workers.has(id)) return;
    const worker = this.work(id).finally(() => this.workers.delete(id));
    this.workers.set(id, worker);
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    clearTimeout(this.scan);
    this.stopChanges();
    this.wakeAll();
    await Promise.allSettled([...this.workers.values()]);
  }

  private async refresh(): Promise<void> {
    try {
      for (const { id } of await this.deps.store.listRecords(WEBHOOK_NS)) this.add(id);
    } catch (err) {
      if (!this.closed) this.deps.logger.warn({ err }, 'cannot list webhooks');
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Wait `ms`, or less when woken (a commit, close); not at all once closed. */
  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /**
   * Whether this node may deliver `id` now, taking or renewing the lease (a third of its life
   * before it expires, so an idle webhook costs one small write every ~10 s). A store only this
   * process uses (embedded, memory) has nothing to share.
   */
  private async lease(id: string): Promise<boolean> {
    if (!this.deps.store.sharedByNodes) return true;
    const now = Date.now();
    const renewed = this.leases.get(id);
    if (renewed !== undefined && now - renewed < (this.options.leaseSeconds * 1000) / 3) return true;
    const holder = (await this.deps.store.getRecord(LEASE_NS, id)) as { node?: string } | null;
    if (holder !== null && holder.node !== this.node) {
      this.leases.delete(id);
      return false;
    }
    await this.deps.store.putRecord(LEASE_NS, id, { node: this.node }, this.options.leaseSeconds);
    this.leases.set(id, now);
    return true;
  }

  private async work(id: string): Promise<void> {
    try {
      await this.deliver(id);
    } finally {
      // Hand the webhook over at once (a restarted node need not wait for the lease to expire).
      const holder = (await this.deps.store.getRecord(LEASE_NS, id).catch(() => null)) as {
        node?: string;
      } | null;
      if (holder?.node === this.node) await this.deps.store.deleteRecord(LEASE_NS, id).catch(() => false);
    }
  }

  private async deliver(id: string): Promise<void> {
    const { store, reader, logger } = this.deps;
    while (!this.closed) {
      try {
        const hook = asWebhook(await store.getRecord(WEBHOOK_NS, id));
        if (hook === null) return;
        if (!(await this.lease(id))) {
          await this.sleep(this.options.leaseSeconds * 500);
          continue;
        }
        const entries = await store.readLog(hook.competitionId, hook.cursor ?? undefined, BATCH);
        const setup = entries.length === 0 ? null : await reader.getSetup(hook.competitionId);
        if (setup === null) {
          await this.sleep(this.options.pollMs);
          continue;
        }
        const source = { reader, store, audience: hook.audience };
        const notifications: FeedLine[] = [];
        for (const entry of entries) {
          const lines = await entryLines(source, setup, entry);
          lines.forEach((line, i) =>
            notifications.push(i === lines.length - 1 ? { ...line, token: entry.id } : line),
          );
        }
        const last = entries[entries.length - 1]?.id ?? null;
        const error =
          notifications.length === 0
            ? null
            : await this.post(hook, { contest_id: hook.competitionId, notifications }, last);
        // Re-read: the webhook may have been deleted while we were posting.
        const now = asWebhook(await store.getRecord(WEBHOOK_NS, id));
        if (now === null) return;
        if (error === null) {
          await store.putRecord(WEBHOOK_NS, id, { ...now, cursor: last, failures: 0, lastError: null });
          continue;
        }
        const failures = now.failures + 1;
        await store.putRecord(WEBHOOK_NS, id, { ...now, failures, lastError: error });
        await this.sleep(
          Math.min(this.options.maxBackoffMs, this.options.firstBackoffMs * 2 ** Math.min(failures - 1, 20)),
        );
      } catch (err) {
        if (this.closed) return;
        logger.warn({ err, webhook: id }, 'webhook worker failed; retrying');
        await this.sleep(this.options.firstBackoffMs);
      }
    }
  }

  /** POST one delivery; null on a 2xx, else what went wrong. */
  private async post(
    hook: WebhookRecord,
    delivery: WebhookDelivery,
    token: string | null,
  ): Promise<string | null> {
    const body = JSON.stringify(delivery);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Podium-Webhook/1',
          'x-podium-webhook': hook.id,
          'x-podium-token': token ?? '',
          'x-podium-signature': signature(hook.secret, body),
        },
      });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
}
