/**
 * Prometheus metrics of one Podium process, on their own registry (so several Podiums in one
 * test process do not collide). Served at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PodiumMetrics {
  registry: Registry;
  socketsConnected: Gauge<'namespace'>;
  commands: Counter<'command' | 'result'>;
  broadcastRows: Histogram<'kind'>;
  broadcastBytes: Histogram<'kind'>;
  /** From a committed change reaching the live layer to its broadcast leaving this process. */
  scoreToBroadcast: Histogram;
  /** Time one board delta takes to be written to every spectator of the board on this process. */
  fanoutSeconds: Histogram;
  /** Deltas not written to a spectator whose connection had fallen behind (it re-snapshots). */
  slowViewerSkips: Counter;
  /** 1 (labelled with the missing internal) when spectators are served through Socket.IO's public path. */
  fanoutPublicPath: Gauge<'missing'>;
  /** Client frames refused by the per-socket limits, and sockets disconnected for them. */
  socketLimited: Counter<'namespace' | 'kind' | 'reason'>;
}

/** Create the metrics; `socketCount(ns)` is read at scrape time. */
export function createMetrics(socketCount: (namespace: string) => number): PodiumMetrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and the p50/p90/p99 lag summaries.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const socketsConnected = new Gauge({
    name: 'podium_sockets_connected',
    help: 'Sockets connected to this process, per namespace',
    labelNames: ['namespace'] as const,
    registers: [registry],
    collect() {
      for (const ns of ['/public', '/judge', '/admin']) this.set({ namespace: ns }, socketCount(ns));
    },
  });
  const commands = new Counter({
    name: 'podium_commands_total',
    help: 'Write commands received over sockets, by command and result ("ok" or an error code)',
    labelNames: ['command', 'result'] as const,
    registers: [registry],
  });
  const broadcastRows = new Histogram({
    name: 'podium_broadcast_rows',
    help: 'Rows per board broadcast',
    labelNames: ['kind'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 500],
    registers: [registry],
  });
  const broadcastBytes = new Histogram({
    name: 'podium_broadcast_bytes',
    help: 'Encoded JSON size of each board broadcast',
    labelNames: ['kind'] as const,
    buckets: [256, 1024, 4096, 16_384, 65_536, 262_144],
    registers: [registry],
  });
  const scoreToBroadcast = new Histogram({
    name: 'podium_score_to_broadcast_seconds',
    help: 'Time from a committed change reaching the live layer to its board broadcast (coalescing included)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2],
    registers: [registry],
  });
  const fanoutSeconds = new Histogram({
    name: 'podium_fanout_seconds',
    help: 'Time to write one board delta to all of its spectators on this process (event loop held)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  const slowViewerSkips = new Counter({
    name: 'podium_slow_viewer_skips_total',
    help: 'Board deltas skipped for spectators whose connection had fallen behind (they re-read a snapshot)',
    registers: [registry],
  });
  const fanoutPublicPath = new Gauge({
    name: 'podium_fanout_public_path',
    help: 'Set to 1, labelled with the missing engine.io/ws internal, when spectator fan-out falls back to Socket.IO public broadcast',
    labelNames: ['missing'] as const,
    registers: [registry],
  });
  const socketLimited = new Counter({
    name: 'podium_socket_limited_total',
    help: 'Client frames refused by the per-socket limits (reason "rate" or "queue"), and sockets disconnected for them ("disconnect")',
    labelNames: ['namespace', 'kind', 'reason'] as const,
    registers: [registry],
  });
  return {
    registry,
    fanoutPublicPath,
    socketsConnected,
    commands,
    broadcastRows,
    broadcastBytes,
    scoreToBroadcast,
    fanoutSeconds,
    slowViewerSkips,
    socketLimited,
  };
}
