/**
 * Preloaded into every measured server (node --import): records event-loop delay and answers
 * `probe:reset` / `probe:read` over the IPC channel, so Podium and the baselines are measured the
 * same way without changes to their code.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

if (process.send) {
  process.on('message', (m: unknown) => {
    const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
    if (type === 'probe:reset') {
      histogram.reset();
      process.send?.({ type: 'probe:reset:done' });
    } else if (type === 'probe:read') {
      // Values are nanoseconds; the resolution (10 ms) is included in every sample, so subtract it.
      const ms = (ns: number): number => Math.max(0, ns / 1e6 - 10);
      process.send?.({
        type: 'probe',
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      });
    }
  });
  // The channel must not keep a server alive that wants to exit.
  process.channel?.unref();
}
