/** Webhook delivery timings (dispatcher.ts), settable per deployment (http/deps.ts). */
/** Dispatcher timings (docs/API.md, "Webhooks"). */
export interface WebhookOptions {
  /** First retry delay; doubles per failure up to maxBackoffMs. Default 1000. */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** How often an idle worker looks for new entries, and the dispatcher for new webhooks. Default 1000. */
  pollMs: number;
  /** Per-request timeout. Default 10 000. */
  timeoutMs: number;
  /** Lease of a webhook to one node, renewed while delivering. Default 30 s. */
  leaseSeconds: number;
}

/** Defaults: retries after 1 s doubling to 5 min, poll 1 s, 10 s request timeout, 30 s lease. */
export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  firstBackoffMs: 1_000,
  maxBackoffMs: 300_000,
  pollMs: 1_000,
  timeoutMs: 10_000,
  leaseSeconds: 30,
};
