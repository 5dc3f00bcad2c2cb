/**
 * `npm run chaos:venues` — a hub and three venue nodes, judges marking at each, every venue's line
 * cut more than once, a venue node and the hub SIGKILLed, a round closed at the hub during a cut
 * (scripts/chaos/venues.ts). Prints progress, then one JSON line; exits 1 when anything is off.
 * Options: --venues N --marks N --cuts N --cut-ms N --seed N
 */
import { parseArgs } from 'node:util';
import { runVenueChaos } from './chaos/venues.ts';

const { values } = parseArgs({
  options: {
    venues: { type: 'string', default: '3' },
    marks: { type: 'string', default: '40' },
    cuts: { type: 'string', default: '2' },
    'cut-ms': { type: 'string', default: '3000' },
    seed: { type: 'string', default: '7' },
  },
});

const report = await runVenueChaos({
  venues: Number(values.venues),
  marks: Number(values.marks),
  contestantsPerEvent: 12,
  cutsPerVenue: Number(values.cuts),
  cutMs: Number(values['cut-ms']),
  paceMs: 120,
  seed: Number(values.seed),
  deadlineMs: 240_000,
  log: (line) => process.stderr.write(`${line}\n`),
});
for (const p of report.problems) process.stderr.write(`problem: ${p}\n`);
const { acknowledged, lost, duplicated, mismatches, partitions, venueKills, refusedAudited } = report;
process.stdout.write(
  `${JSON.stringify({ acknowledged, lost, duplicated, mismatches, partitions, venueKills, refusedAudited })}\n`,
);
process.exit(lost === 0 && duplicated === 0 && mismatches === 0 && venueKills > 0 ? 0 : 1);
