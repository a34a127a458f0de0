/**
 * What the queue adds to a scene: one-scene jobs, one after another, from `notify` to the job's final event,
 * through the embedded LocalQueue and through BullMQ (a BullQueue with its worker in the same process, Redis
 * on loopback), both on the same SQLite store and one thread of the stand-in renderer (which answers a 1×1
 * PNG at once), so the difference is the queue's round trip (issue 13's target: ≤ 5 ms median per scene for
 * BullMQ). Runs alternate between the two so that a change in the machine's load falls on both; the load
 * average is printed with the figures.
 *
 *   npx tsx bench/queue-overhead.bench.ts [--jobs 60] [--runs 2] [--redis redis://127.0.0.1:6379]
 */
import os from 'node:os';
import { queueRoundTrips } from './lib/queue-round-trip.js';
import { formatTable, summarise, type Row } from './lib/stats.js';

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const JOBS = Number(option('--jobs', '60'));
const RUNS = Number(option('--runs', '2'));
const REDIS = option('--redis', 'redis://127.0.0.1:6379');
if (!Number.isInteger(JOBS) || JOBS < 10 || !Number.isInteger(RUNS) || RUNS < 1) throw new Error('--jobs must be an integer ≥ 10 and --runs ≥ 1');

const all: Record<'local' | 'bullmq', number[]> = { local: [], bullmq: [] };
for (let run = 0; run < RUNS; run++) for (const kind of ['local', 'bullmq'] as const) all[kind].push(...(await queueRoundTrips(kind, JOBS, REDIS)));

const rows: Row[] = (['local', 'bullmq'] as const).map((name) => ({ name, timing: summarise(all[name]) }));
console.log(`one-scene jobs, notify → final, ${JOBS} jobs × ${RUNS} runs each (stand-in renderer, 1 thread)`);
console.log(formatTable(rows, 'local'));
const overhead = (rows[1]?.timing.median ?? NaN) - (rows[0]?.timing.median ?? NaN);
console.log(`BullMQ round trip over the embedded queue: ${overhead.toFixed(1)} ms median per scene; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
process.exit(0);
