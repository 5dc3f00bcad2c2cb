/** A venue node's settings from the environment (docs/VENUES.md): PODIUM_HUB_URL and PODIUM_VENUE_KEY. */
import { z } from 'zod';

export interface VenueLinkConfig {
  hubUrl: string;
  key: string;
}

const schema = z.strictObject({
  hubUrl: z.url({ protocol: /^https?$/ }),
  key: z.string().regex(/^pv_[A-Za-z0-9_-]{43}$/, 'PODIUM_VENUE_KEY must be a key the hub issued (pv_…)'),
});

/** The venue link settings, null when this is not a venue node; throws on half or wrong settings. */
export function venueLinkConfig(env: NodeJS.ProcessEnv = process.env): VenueLinkConfig | null {
  const hubUrl = env.PODIUM_HUB_URL;
  const key = env.PODIUM_VENUE_KEY;
  if (hubUrl === undefined && key === undefined) return null;
  const parsed = schema.safeParse({ hubUrl, key });
  if (!parsed.success) {
    throw new Error(
      `a venue node needs both PODIUM_HUB_URL (http(s)://…) and PODIUM_VENUE_KEY: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}
