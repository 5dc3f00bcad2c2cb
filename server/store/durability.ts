/**
 * Whether the store keeps an acknowledged write through a crash and a power loss (promise D1 in
 * docs/RELIABILITY.md). The embedded store fsyncs every commit; Redis does so only with
 * `appendonly yes` + `appendfsync always`, which is the operator's setting — so it is read at start
 * (CONFIG GET, or INFO persistence where a provider disables CONFIG), warned about, reported on
 * /readyz and /metrics, and with PODIUM_REQUIRE_DURABLE=1 a reason to refuse to start.
 */
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { Store, StoreDurability } from './types.ts';

export type { StoreDurability } from './types.ts';

/**
 * Check at start: warn loudly when the store is not durable, and throw (refusing to start) when
 * `require` (PODIUM_REQUIRE_DURABLE=1) is set.
 */
export async function checkDurabilityAtStart(
  store: Store,
  logger: { warn(obj: object, message: string): void },
  require: boolean,
): Promise<StoreDurability> {
  const report = await store.durability();
  if (report.durable) return report;
  if (require) {
    throw new Error(`PODIUM_REQUIRE_DURABLE=1 and the store is not durable. ${report.detail}.`);
  }
  logger.warn(
    { persistence: report.persistence },
    `!!! ACKNOWLEDGED MARKS ARE NOT SAFE: ${report.detail}. Set PODIUM_REQUIRE_DURABLE=1 to refuse to start like this.`,
  );
  return report;
}

/** The gauge podium_store_durable{store, persistence} (1 or 0) on a metrics registry. */
export function registerDurabilityGauge(registry: Registry, report: StoreDurability): void {
  const gauge = new Gauge({
    name: 'podium_store_durable',
    help: '1 when an acknowledged write survives a crash and a power loss (embedded store, or Redis appendfsync always), else 0; checked at start',
    labelNames: ['store', 'persistence'] as const,
    registers: [registry],
  });
  gauge.set({ store: report.store, persistence: report.persistence }, report.durable ? 1 : 0);
}
