/**
 * Issue 13's scale-out targets, measured in one run on this machine:
 *  - worker scaling: the batch of `--rows` rows × template 1061 (8 scenes each) on the embedded default
 *    (`adsmith serve` as one process: SQLite, files, in-process queue, its default render threads), then on
 *    PostgreSQL + Redis + S3 (s3rver) with one API node and 1, then 2 worker processes (1 render thread each):
 *    scenes/s and the 1→2 worker ratio (target ≥ 1.8×), for each `--per-thread` value (ADSMITH_TASKS_PER_THREAD of
 *    the workers: 1 is the pool before 8ac8037, a thread waiting for its worker between scenes; 2 the default), each
 *    on its own cluster, side by side;
 *  - queue overhead: one-scene jobs, notify → final, BullMQ against the bare in-process queue (target ≤ 5 ms median);
 *  - storage latency: a plain 1062 generate (POST → every result URL answers 200), p50 on PostgreSQL + Redis + S3
 *    (2 workers) against the embedded default (target ≤ 1.2×);
 *  - peak RSS (VmHWM) of every process, and the CPU each process spent per scene of the measured batches (user +
 *    system from /proc, render threads included; PostgreSQL and Redis servers not counted; "bench" is this
 *    process: s3rver and the client).
 * Every node is a real process (test/scale/cluster.ts: its own schema, key prefix and bucket, removed at the end).
 * One pass, not alternated: on a shared, loaded machine the figures are indicative; the load average is printed.
 *
 *   npx tsx bench/scale-out.bench.ts [--rows 200] [--generates 15] [--queue-jobs 60] [--per-thread 1,2] [--redis redis://127.0.0.1:6379]
 *   A short run: --rows 20 --generates 4 --queue-jobs 20 (the 1062 generates use the last --per-thread value).
 */
import fs from 'node:fs';
import os from 'node:os';
import { startCluster } from '../test/scale/cluster.js';
import { runBatch } from './lib/batch-1061.js';
import { queueRoundTrips } from './lib/queue-round-trip.js';
import { generateAndFetchAll, pct, procStatusMb, startServerProcess, type ServerProcess } from './lib/server-process.js';
import { summarise } from './lib/stats.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const ROWS = arg('--rows', 200);
const GENERATES = arg('--generates', 15);
const QUEUE_JOBS = arg('--queue-jobs', 60);
const perThreadIndex = process.argv.indexOf('--per-thread');
const PER_THREAD = (perThreadIndex > 0 ? (process.argv[perThreadIndex + 1] ?? '') : '1,2').split(',').map((v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 4) throw new Error(`--per-thread takes values 1 to 4, got "${v}"`);
  return n;
});
const redisIndex = process.argv.indexOf('--redis');
const REDIS = redisIndex > 0 ? (process.argv[redisIndex + 1] ?? '') : 'redis://127.0.0.1:6379';
const SCENES = ROWS * 8;
// A guard against a run that never ends, not a time budget.
const HARD_STOP = Date.now() + 60 * 60_000;
const GENERATE_1062 = { template_id: '1062', brand_id: '167' };

const load = () => os.loadavg()[0]?.toFixed(1) ?? '?';
const mb = (pid: number | undefined) => procStatusMb(pid, 'VmHWM').toFixed(0);
/** CPU time (user + system) a process has used so far, ms (/proc/<pid>/stat, 100 ticks a second). */
function cpuMs(pid: number | undefined): number {
  const fields = (fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const benchCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `measure` and returns its result with the CPU ms per scene of each named process (and this one) meanwhile. */
async function withCpu<T>(pids: Array<[string, number | undefined]>, measure: () => Promise<T>): Promise<{ result: T; cpu: string }> {
  const before = pids.map(([, pid]) => cpuMs(pid));
  const bench0 = benchCpuMs();
  const result = await measure();
  const per = pids.map(([name, pid], i) => `${name} ${((cpuMs(pid) - (before[i] as number)) / SCENES).toFixed(0)}`);
  return { result, cpu: [...per, `bench ${((benchCpuMs() - bench0) / SCENES).toFixed(0)}`].join(', ') };
}

/** Sequential plain 1062 generates (2 unmeasured), POST → all 8 results served; ms each. */
async function generates(server: Pick<ServerProcess, 'base' | 'token'>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < GENERATES + 2; i++) {
    const { ms } = await generateAndFetchAll(server, GENERATE_1062, HARD_STOP);
    if (i >= 2) samples.push(ms);
  }
  return samples;
}

interface Measured {
  batchMs: number;
  batchCpu: string;
  generateMs: number[];
  rss: string[];
}

async function embedded(): Promise<Measured> {
  const server = await startServerProcess({ NODE_ENV: 'test', ADSMITH_PRELOAD_MODELS: '0', ADSMITH_LOG: '0' });
  try {
    await runBatch(server.base, server.token, 2, 0, HARD_STOP); // warm the render threads
    const batch = await withCpu([['server', server.child.pid]], () => runBatch(server.base, server.token, ROWS, 10, HARD_STOP));
    const generateMs = await generates(server);
    return { batchMs: batch.result, batchCpu: batch.cpu, generateMs, rss: [`embedded ${mb(server.child.pid)} MB`] };
  } finally {
    await server.stop();
  }
}

interface ScaledOut {
  perThread: number;
  one: number;
  oneCpu: string;
  two: number;
  twoCpu: string;
  generateMs: number[];
  rss: string[];
  load: string;
}

/** API + 1, then + 2 workers whose threads hold `perThread` scenes each; the 1062 generates only when `withGenerates`. */
async function scaledOut(perThread: number, withGenerates: boolean): Promise<ScaledOut> {
  const cluster = await startCluster({ name: 'bench_scale', redisUrl: REDIS });
  const workerEnv = { ADSMITH_TASKS_PER_THREAD: String(perThread) };
  try {
    const api = await cluster.startNode('api');
    const client = { base: api.base, token: cluster.token };
    const first = await cluster.startNode('worker', workerEnv);
    await runBatch(api.base, cluster.token, 2, 0, HARD_STOP);
    const one = await withCpu([['api', api.child.pid], ['worker', first.child.pid]], () => runBatch(api.base, cluster.token, ROWS, 10, HARD_STOP));
    const second = await cluster.startNode('worker', workerEnv);
    await runBatch(api.base, cluster.token, 2, 5, HARD_STOP); // warm the new worker too
    const two = await withCpu(
      [['api', api.child.pid], ['worker 1', first.child.pid], ['worker 2', second.child.pid]],
      () => runBatch(api.base, cluster.token, ROWS, 10 + ROWS, HARD_STOP),
    );
    const measuredLoad = load();
    const generateMs = withGenerates ? await generates(client) : [];
    const tag = `(${perThread}/thread)`;
    return {
      perThread,
      one: one.result,
      oneCpu: one.cpu,
      two: two.result,
      twoCpu: two.cpu,
      generateMs,
      rss: [`api ${tag} ${mb(api.child.pid)} MB`, `worker 1 ${tag} ${mb(first.child.pid)} MB`, `worker 2 ${tag} ${mb(second.child.pid)} MB`],
      load: measuredLoad,
    };
  } finally {
    await cluster.close();
  }
}

console.log(`scale-out bench | batch ${ROWS} rows × 1061 = ${SCENES} scenes | ${GENERATES} generates of 1062 | ${os.availableParallelism()} cores | node ${process.version} | load ${load()} at start`);
const local = await embedded();
const runs: ScaledOut[] = [];
for (const [i, p] of PER_THREAD.entries()) runs.push(await scaledOut(p, i === PER_THREAD.length - 1));
const scaled = runs[runs.length - 1] as ScaledOut;
const rate = (ms: number) => (SCENES / ms) * 1000;
console.log('\nworker scaling (POST batch → done), scenes/s; workers on PostgreSQL+Redis+S3 have 1 render thread each');
console.log(`  embedded default (${os.availableParallelism()} threads, 2 tasks each): ${(local.batchMs / 1000).toFixed(1)} s, ${rate(local.batchMs).toFixed(1)} scenes/s`);
console.log('  tasks per thread   1 worker   2 workers   1 → 2 (target ≥ 1.8x)   load');
for (const r of runs) {
  console.log(`  ${String(r.perThread).padStart(16)}  ${rate(r.one).toFixed(1).padStart(9)}  ${rate(r.two).toFixed(1).padStart(10)}  ${(r.one / r.two).toFixed(2).padStart(7)}x                 ${r.load}`);
}
console.log(`  CPU ms per scene: embedded (${local.batchCpu})`);
for (const r of runs) console.log(`    ${r.perThread} per thread: 1 worker (${r.oneCpu}); 2 workers (${r.twoCpu})`);

console.log('\nplain 1062 generate, POST → 8 results served');
const p50Local = pct(local.generateMs, 50);
const p50Scaled = pct(scaled.generateMs, 50);
console.log(`  embedded default             p50 ${p50Local.toFixed(0)} ms, p95 ${pct(local.generateMs, 95).toFixed(0)} ms`);
console.log(`  PostgreSQL+Redis+S3, 2 workers (${scaled.perThread}/thread) p50 ${p50Scaled.toFixed(0)} ms, p95 ${pct(scaled.generateMs, 95).toFixed(0)} ms`);
console.log(`  scaled/embedded p50: ${(p50Scaled / p50Local).toFixed(2)}x (target ≤ 1.2x)`);

const rounds = { local: await queueRoundTrips('local', QUEUE_JOBS, REDIS), bullmq: await queueRoundTrips('bullmq', QUEUE_JOBS, REDIS) };
const medLocal = summarise(rounds.local).median;
const medBull = summarise(rounds.bullmq).median;
console.log(`\nqueue round trip, one-scene jobs (stand-in renderer), ${QUEUE_JOBS} each`);
console.log(`  in-process queue median ${medLocal.toFixed(2)} ms, BullMQ median ${medBull.toFixed(2)} ms: BullMQ adds ${(medBull - medLocal).toFixed(2)} ms per scene (target ≤ 5 ms)`);

console.log(`\npeak RSS (VmHWM): ${[...local.rss, ...runs.flatMap((r) => r.rss)].join(', ')}`);
console.log(`load average ${load()} at the end on ${os.availableParallelism()} cores: figures are indicative on a shared machine`);
process.exit(0);
