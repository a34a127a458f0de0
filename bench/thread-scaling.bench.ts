/**
 * Scenes/s with 1 and 2 render threads, side by side (issue 15: from 1 to 2 threads the gain should be
 * ≥ 1.7×). The same scene tasks — rows of template 1061, every row its own copy, PNG fast — are rendered by
 * bare WorkerPools of each size (the server's render-worker script, no HTTP, store or queue), kept full: as
 * many tasks in flight as the pool holds. Each size is run with 1 task per thread (the thread waits for the
 * main thread between scenes, the pool before 8ac8037) and 2 (one queued behind the one it draws, the default),
 * so the effect of the queue at the thread shows in the same run. Pools alternate within every run so that a
 * change in the machine's load falls on all of them; the load average is printed with the figures (the gain is
 * capped by the cores nobody else is using).
 *
 *   npx tsx bench/thread-scaling.bench.ts [--rows 30] [--runs 3] [--threads 1,2] [--per-thread 1,2]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { publicTemplate } from '../src/assets/index.js';
import { WorkerPool } from '../src/jobs/pool.js';
import type { RenderReply, RenderTask } from '../src/jobs/protocol.js';
import { summarise } from './lib/stats.js';

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const positive = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return v;
};
const ROWS = positive('--rows', Number(option('--rows', '30')));
const RUNS = positive('--runs', Number(option('--runs', '3')));
const THREADS = option('--threads', '1,2').split(',').map((t) => positive('--threads', Number(t)));
const PER_THREAD = option('--per-thread', '1,2').split(',').map((t) => positive('--per-thread', Number(t)));

const template = publicTemplate('1061')!;
const SCENES = template.scenes.length;

function tasks(rows: number, offset: number): RenderTask[] {
  const out: RenderTask[] = [];
  let taskId = 0;
  for (let r = offset; r < offset + rows; r++) {
    const elements = [
      { layer_type: 'text' as const, content_type: 'Heading #1', content: `Product No. ${r + 1}` },
      { layer_type: 'text' as const, content_type: 'Body #1', content: `Offer ${1000 + r}: free delivery this week.` },
    ];
    for (let s = 0; s < SCENES; s++) {
      out.push({ taskId: ++taskId, jobId: `scaling_${r}`, sceneIndex: s, template, brand: null, elements, output: { format: 'png', scale: 1 }, smartImage: null, contentModeration: false, files: [] });
    }
  }
  return out;
}

/** Wall ms for the pool to render every task, the pool kept full (a new task as soon as it has room). */
async function renderAll(pool: WorkerPool, list: RenderTask[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: pool.capacity }, async () => {
      while (next < list.length) {
        const reply: RenderReply = await pool.run(list[next++]!);
        if (reply.type !== 'done') throw new Error(`render failed: ${reply.message}`);
      }
    }),
  );
  return performance.now() - t0;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-thread-scaling-'));
const script = new URL('../src/jobs/render-worker.ts', import.meta.url);
// The pool's threads are unref'd (a server's own handles keep it alive); here a timer keeps the process up while it waits for them.
const keepAlive = setInterval(() => {}, 1000);
interface Config {
  threads: number;
  perThread: number;
  pool: WorkerPool;
  rates: number[];
}
const configs: Config[] = THREADS.flatMap((threads) =>
  PER_THREAD.map((perThread) => ({
    threads,
    perThread,
    pool: new WorkerPool(script, threads, { allowPrivateUrls: false, publicUrl: 'http://127.0.0.1', blob: { kind: 'fs', root: dataDir } }, { perThread }),
    rates: [],
  })),
);
const label = (c: Config) => `${c.threads} thread${c.threads > 1 ? 's' : ''} × ${c.perThread}`;
try {
  // Warm every thread (fonts, decoded images) before measuring.
  for (const c of configs) await renderAll(c.pool, tasks(c.threads * 2, 0));
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`thread scaling | ${ROWS} rows × template 1061 (${SCENES} scenes) = ${ROWS * SCENES} scenes per pool and run | ${os.availableParallelism()} cores | node ${process.version} | load ${load()}`);
  console.log(`pools: threads × tasks per thread (1: the thread waits for the main thread between scenes; 2: one queued behind, the default)`);
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? configs : [...configs].reverse();
    const cells: string[] = [];
    for (const c of order) {
      const ms = await renderAll(c.pool, tasks(ROWS, (run + 1) * ROWS));
      const rate = (ROWS * SCENES * 1000) / ms;
      c.rates.push(rate);
      cells.push(`${label(c)} ${rate.toFixed(1)}`);
    }
    console.log(`run ${run + 1} (scenes/s): ${cells.join(' | ')} | load ${load()}`);
  }
  const median = (c: Config) => summarise(c.rates).median;
  const cell = (threads: number, perThread: number) => configs.find((c) => c.threads === threads && c.perThread === perThread);
  const base = THREADS[0]!;
  console.log(`\nscenes/s (median of ${RUNS}); gain vs ${base} thread${base > 1 ? 's' : ''} with the same tasks per thread`);
  console.log(`threads  ${PER_THREAD.map((p) => `${p} per thread`.padStart(14) + '   gain').join('  ')}`);
  for (const threads of THREADS) {
    const cols = PER_THREAD.map((p) => {
      const c = cell(threads, p)!;
      const b = cell(base, p)!;
      return `${median(c).toFixed(1).padStart(14)}  ${(median(c) / median(b)).toFixed(2).padStart(4)}x`;
    });
    console.log(`${String(threads).padStart(7)}  ${cols.join('  ')}`);
  }
  console.log(`load after: ${load()} (target: 2 threads ≥ 1.7× 1 thread, on 2 otherwise idle cores)`);
} finally {
  for (const c of configs) await c.pool.close();
  clearInterval(keepAlive);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
