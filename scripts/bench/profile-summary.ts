/**
 * Where a server's CPU went, from a V8 `.cpuprofile` (BENCH_CPU_PROF=<dir> on any bench writes one
 * per measured server process). Prints how busy the process was in each second, then the
 * functions with the most self time within [--from, --to) seconds of the profile — pick the
 * window of the marks from the per-second line, so start-up and connection ramps do not count.
 *   npm run bench:profile -- <file.cpuprofile> [--from 5] [--to 13] [--top 25]
 * The last line is one JSON object with the same figures.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string' } },
});
const file = positionals[0];
if (file === undefined) {
  console.error('usage: npm run bench:profile -- <file.cpuprofile> [--from S] [--to S] [--top N]');
  process.exit(2);
}
const fromS = Number(values.from ?? 0);
const toS = Number(values.to ?? Number.POSITIVE_INFINITY);
const top = Number(values.top ?? 25);

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

/** "name file:line", with paths shortened to the package or the repository-relative file. */
function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/.*node_modules\//, '').replace(/^.*?\/(server|shared|scripts)\//, '$1/');
  return `${functionName || '(anonymous)'} ${where}${where ? `:${lineNumber}` : ''}`;
}

const perSecond: Array<{ total: number; busy: number }> = [];
const self = new Map<string, number>();
let windowTotal = 0;
let windowBusy = 0;
let t = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  const node = nodes.get(id);
  if (node === undefined) return;
  const idle = node.callFrame.functionName === '(idle)';
  const second = Math.floor(t / 1e6);
  const bucket = (perSecond[second] ??= { total: 0, busy: 0 });
  bucket.total += dt;
  if (!idle) bucket.busy += dt;
  const s = t / 1e6;
  if (s < fromS || s >= toS) return;
  windowTotal += dt;
  if (idle) return;
  windowBusy += dt;
  self.set(label(node), (self.get(label(node)) ?? 0) + dt);
});

const busyBySecond = perSecond.map((b) => (b && b.total > 0 ? Math.round((100 * b.busy) / b.total) : 0));
console.log(`busy % per second: ${busyBySecond.map((p, s) => `${s}:${p}`).join(' ')}`);
console.log(
  `window ${fromS}–${toS} s: ${(windowTotal / 1e3).toFixed(0)} ms sampled, busy ${(windowBusy / 1e3).toFixed(0)} ms`,
);
const ranked = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
for (const [name, us] of ranked) {
  console.log(`${((100 * us) / Math.max(1, windowBusy)).toFixed(1).padStart(5)} %  ${name}`);
}
console.log(
  JSON.stringify({
    bench: 'profile-summary',
    file,
    window: { fromS, toS: Number.isFinite(toS) ? toS : null },
    busyMs: Math.round(windowBusy / 1e3),
    sampledMs: Math.round(windowTotal / 1e3),
    busyPctBySecond: busyBySecond,
    selfPctOfBusy: ranked.map(([name, us]) => ({
      name,
      pct: Math.round((1000 * us) / Math.max(1, windowBusy)) / 10,
    })),
  }),
);
