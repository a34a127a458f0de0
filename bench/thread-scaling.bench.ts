/**
 * Scenes/s with 1 and 2 render threads, side by side (issue 15: from 1 to 2 threads the gain should be
 * ≥ 1.7×). The same scene tasks — rows of template 1061, every row its own copy, PNG fast — are rendered by
 * bare WorkerPools of each size (the server's render-worker script, no HTTP, store or queue), each thread
 * kept busy. Pool sizes alternate within every run so that a change in the machine's load falls on all of
 * them; the load average is printed with the figures (the gain is capped by the cores nobody else is using).
 *
 *   npx tsx bench/thread-scaling.bench.ts [--rows 30] [--runs 3] [--threads 1,2]
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

/** Wall ms for the pool to render every task, each thread taking the next task as soon as it is free. */
async function renderAll(pool: WorkerPool, list: RenderTask[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: pool.size }, async () => {
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
const pools = new Map(THREADS.map((n) => [n, new WorkerPool(script, n, { allowPrivateUrls: false, publicUrl: 'http://127.0.0.1', blob: { kind: 'fs', root: dataDir } })]));
try {
  // Warm every thread (fonts, decoded images) before measuring.
  for (const [n, pool] of pools) await renderAll(pool, tasks(n * 2, 0));
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`thread scaling | ${ROWS} rows × template 1061 (${SCENES} scenes) = ${ROWS * SCENES} scenes per pool and run | ${os.availableParallelism()} cores | node ${process.version} | load ${load()}`);
  const rates = new Map<number, number[]>(THREADS.map((n) => [n, []]));
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? THREADS : [...THREADS].reverse();
    const cells: string[] = [];
    for (const n of order) {
      const ms = await renderAll(pools.get(n)!, tasks(ROWS, (run + 1) * ROWS));
      const rate = (ROWS * SCENES * 1000) / ms;
      rates.get(n)!.push(rate);
      cells.push(`${n} thread${n > 1 ? 's' : ''} ${rate.toFixed(1)} scenes/s`);
    }
    console.log(`run ${run + 1}: ${cells.join(' | ')} | load ${load()}`);
  }
  const medians = THREADS.map((n) => ({ n, rate: summarise(rates.get(n)!).median }));
  const base = medians[0]!;
  console.log(`\nthreads  scenes/s (median)  vs ${base.n} thread${base.n > 1 ? 's' : ''}`);
  for (const { n, rate } of medians) console.log(`${String(n).padStart(7)}  ${rate.toFixed(1).padStart(17)}  ${(rate / base.rate).toFixed(2).padStart(8)}x`);
  console.log(`load after: ${load()} (target: 2 threads ≥ 1.7× 1 thread, on 2 otherwise idle cores)`);
} finally {
  for (const pool of pools.values()) await pool.close();
  clearInterval(keepAlive);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
