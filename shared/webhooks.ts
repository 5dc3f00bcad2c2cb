/**
 * Webhooks (docs/API.md, "Webhooks"): an organiser registers a URL; every change is POSTed to it
 * as CLICS-style notifications, signed with HMAC-SHA256, retried until a 2xx, in order.
 */
import { z } from 'zod';
import { feedLineSchema } from './feed.ts';

/** Body of POST /api/competitions/:id/webhooks. */
export const registerWebhookSchema = z.strictObject({
  /** http(s) URL the notifications are POSTed to. */
  url: z
    .string()
    .max(2_000)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL'),
  /** Which view is delivered: 'public' (default: what the public board shows) or 'staff' (live). */
  audience: z.enum(['public', 'staff']).default('public'),
});

/** One delivery: CLICS's webhook body `{ contest_id, notifications }` (feed lines, the last of each entry with its token). */
export const webhookDeliverySchema = z.strictObject({
  contest_id: z.string(),
  notifications: z.array(feedLineSchema),
});
/** One webhook POST body. */
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** A registered webhook as stored (record namespace "webhook"). */
export interface WebhookRecord {
  id: string;
  competitionId: string;
  url: string;
  /** HMAC key, shown once at registration. */
  secret: string;
  audience: 'public' | 'staff';
  /** Log id of the last entry delivered (or skipped as invisible); deliveries continue after it. */
  cursor: string | null;
  createdAt: number;
  /** Failed attempts of the pending delivery, and the last failure. */
  failures: number;
  lastError: string | null;
}
