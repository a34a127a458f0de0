/**
 * A batch of 200 rows × template 1061 (8 scenes: 1600 scenes) on the embedded
 * server — buildApp, SQLite and the fs blob store in a temp dir, the render
 * worker pool, HTTP on 127.0.0.1 — against its peer measured in the same run:
 * the same 1600 scene tasks rendered by the same number of worker threads
 * (the same worker script) driven directly, with no HTTP, store or queue. Like
 * the server's threads, the peer's write each result to a blob store (files in
 * the temp dir) and hash its ETag themselves (`storeResult`), so both sides do
 * the same work per scene on their threads and the difference is the server's
 * own; `--peer-returns-bytes` has the peer's threads send the PNG bytes back to
 * the main thread instead, as before (their garbage then lands on the main thread).
 *
 * What is reported, per run and as medians over the runs:
 *  - server: POST /v1/ads/batch → the SSE stream's `done` event (wall), scenes/s,
 *    and how long the POST (validation + one transaction for 200 rows) took;
 *  - direct: the same scenes on the bare pool (wall), scenes/s;
 *  - overhead = 1 − direct wall / server wall: the share of the server's wall
 *    time not explained by rendering at the bare pool's rate (protocol, storage,
 *    queueing, blob writes, SSE); target ≤ 10 %;
 *  - idle = 1 − thread busy time / (server wall × threads): the share of the
 *    threads' time during the batch in which a thread held no task at all
 *    (WorkerPool.busyMs of the server's own pool, in this process);
 *  - main = the event loop's utilisation during the server run: the main
 *    thread's CPU (HTTP, SQLite, blob writes, SSE), which on a machine with as
 *    many cores as render threads is taken from rendering.
 * Server and direct runs alternate (and which goes first alternates), so machine noise falls on both.
 *
 *   npx tsx bench/batch.bench.ts [--rows 200] [--runs 3] [--workers <cores>] [--peer-returns-bytes]
 *   3 runs × 2 × 1600 scenes: about 6 min at 30 scenes/s; 14 min were measured on a shared, loaded 2-core machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { ensureDefaultOrg } from '../src/admin/index.js';
import { publicTemplate } from '../src/assets/index.js';
import { LocalQueue } from '../src/jobs/local.js';
import { WorkerPool } from '../src/jobs/pool.js';
import type { RenderReply, RenderTask } from '../src/jobs/protocol.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { rowElements, untilDone } from './lib/batch-1061.js';
import { summarise } from './lib/stats.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const ROWS = arg('--rows', 200);
const RUNS = arg('--runs', 3);
const WORKERS = arg('--workers', os.availableParallelism());
const PEER_STORES = !process.argv.includes('--peer-returns-bytes');
const TOKEN = 'batch-bench-token-0123456789abcdef';
// A guard against a stream that never ends, not a time budget: a loaded shared machine may need this long.
const HARD_STOP = Date.now() + 30 * 60_000;

const template = publicTemplate('1061') ?? (() => {
  throw new Error('public template 1061 is missing');
})();
const SCENES = template.scenes.length;

/** The peer: the same scene tasks on a bare WorkerPool, kept full (each thread one task drawing, one queued, as the server's). */
async function direct(pool: WorkerPool, rows: number): Promise<number> {
  const tasks: RenderTask[] = [];
  let taskId = 0;
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < SCENES; s++) {
      tasks.push({ taskId: ++taskId, jobId: `direct_${r}`, sceneIndex: s, template, brand: null, elements: rowElements(r), output: { format: 'png', scale: 1 }, smartImage: null, contentModeration: false, files: [], storeResult: PEER_STORES });
    }
  }
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: pool.capacity }, async () => {
      while (next < tasks.length) {
        const reply: RenderReply = await pool.run(tasks[next++] as RenderTask);
        if (reply.type !== 'done') throw new Error(`direct render failed: ${reply.message}`);
      }
    }),
  );
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-batch-bench-'));
  const config = loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://127.0.0.1', workers: WORKERS, logger: false });
  // The server's own pool, for its threads' busy time: the queue the server builds (its default, LocalQueue) is given it.
  let serverPool: WorkerPool | null = null;
  const { app, ctx } = await buildApp(config, {
    queue: (parts) => {
      serverPool = parts.pool;
      return new LocalQueue(parts);
    },
  });
  await ensureDefaultOrg(ctx.store, TOKEN);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const peer = new WorkerPool(new URL('../src/jobs/render-worker.ts', import.meta.url), WORKERS, { allowPrivateUrls: false, publicUrl: config.publicUrl, blob: { kind: 'fs', root: path.join(dataDir, 'peer-blobs') } });

  const batch = async (rows: number, offset: number) => {
    const elu0: EventLoopUtilization = performance.eventLoopUtilization();
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/ads/batch`, {
      method: 'POST',
      headers: { api_token: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1061', rows: Array.from({ length: rows }, (_, i) => ({ key: `row-${offset + i}`, elements: rowElements(offset + i) })) }),
    });
    const accepted = (await res.json()) as { batch_id: string; rows_accepted: number };
    const postMs = performance.now() - t0;
    if (res.status !== 202 || accepted.rows_accepted !== rows) throw new Error(`batch answered ${res.status}: ${JSON.stringify(accepted).slice(0, 300)}`);
    const done = await untilDone(await fetch(`${base}/v1/ads/batch/${accepted.batch_id}/events`, { headers: { api_token: TOKEN } }), HARD_STOP);
    if (done.status !== 'COMPLETED' || done.rows_failed !== 0 || done.scenes_done !== rows * SCENES) throw new Error(`batch ended ${JSON.stringify(done)}`);
    return { wallMs: performance.now() - t0, postMs, mainBusy: performance.eventLoopUtilization(elu0).utilization };
  };

  // Warm both thread sets (fonts, decoded default images) before measuring.
  await batch(WORKERS * 2, 0);
  await direct(peer, WORKERS * 2);

  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`batch bench | ${ROWS} rows × template 1061 (${SCENES} scenes) = ${ROWS * SCENES} scenes | ${WORKERS} render threads × ${peer.perThread} tasks each | peer ${PEER_STORES ? 'stores its results on its threads, as the server' : 'returns the bytes to its main thread'} | ${os.availableParallelism()} cores | node ${process.version} | load ${load()}`);
  console.log('run   server wall s  server scenes/s  POST ms  direct wall s  direct scenes/s  overhead  idle   main  load');
  const server: number[] = [];
  const posts: number[] = [];
  const bare: number[] = [];
  const overheads: number[] = [];
  const idles: number[] = [];
  const mains: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // Alternate which goes first, so that a trend in the machine's load does not favour one side.
    let busyMs = 0;
    const serverRun = async () => {
      const busy0 = serverPool?.busyMs() ?? 0;
      const res = await batch(ROWS, (r + 1) * ROWS);
      busyMs = (serverPool?.busyMs() ?? 0) - busy0;
      return res;
    };
    let s: Awaited<ReturnType<typeof serverRun>>;
    let d: number;
    if (r % 2 === 0) {
      s = await serverRun();
      d = await direct(peer, ROWS);
    } else {
      d = await direct(peer, ROWS);
      s = await serverRun();
    }
    const overhead = 1 - d / s.wallMs;
    const idle = 1 - busyMs / (s.wallMs * WORKERS);
    server.push(s.wallMs);
    posts.push(s.postMs);
    bare.push(d);
    overheads.push(overhead);
    idles.push(idle);
    mains.push(s.mainBusy);
    const n = ROWS * SCENES;
    console.log(
      `${String(r + 1).padStart(3)}  ${(s.wallMs / 1000).toFixed(1).padStart(13)}  ${((n / s.wallMs) * 1000).toFixed(1).padStart(15)}  ${s.postMs.toFixed(0).padStart(7)}  ${(d / 1000).toFixed(1).padStart(13)}  ${((n / d) * 1000).toFixed(1).padStart(15)}  ${(overhead * 100).toFixed(1).padStart(7)}%  ${(idle * 100).toFixed(1).padStart(4)}%  ${(s.mainBusy * 100).toFixed(1).padStart(4)}%  ${load()}`,
    );
  }
  const med = (xs: number[]) => summarise(xs).median;
  const n = ROWS * SCENES;
  console.log(
    `median server ${(med(server) / 1000).toFixed(1)} s (${((n / med(server)) * 1000).toFixed(1)} scenes/s, POST ${med(posts).toFixed(0)} ms) vs direct ${(med(bare) / 1000).toFixed(1)} s (${((n / med(bare)) * 1000).toFixed(1)} scenes/s): server/direct ${(med(server) / med(bare)).toFixed(3)}x`,
  );
  console.log(`median overhead (1 − direct/server wall) ${(med(overheads) * 100).toFixed(1)} %; median idle thread time ${(med(idles) * 100).toFixed(1)} %; median main-thread busy ${(med(mains) * 100).toFixed(1)} % (target: overhead ≤ 10 %) | load ${load()}`);

  await peer.close();
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
