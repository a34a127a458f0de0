/**
 * Reliability under load, end to end against a real `src/server/main.ts` child
 * (what `npm start` runs) on an ephemeral 127.0.0.1 port with a temp
 * ADSMITH_DATA_DIR and the default worker pool.
 *
 * (a) Burst: 16 clients share `--burst` requests of template 1062 (8 scenes,
 *     a public brand, its own heading); each POSTs generate and polls every
 *     result URL until it answers 200 with bytes. p50/p95 latency, scenes/s and
 *     errors, against a peer measured in the same run: one client alone, and
 *     /healthz idle vs /healthz during the burst.
 * (b) Soak: `--soak-clients` clients in a closed loop for `--minutes` (a mix of
 *     1061 and 1062, png/jpeg/webp, a job status read and a template list per
 *     request). The child's VmRSS (/proc/<pid>/status) is sampled every 10 s;
 *     the RSS slope in MB/min is the least-squares fit over the samples after a
 *     2-minute warm-up (target ≤ 1 MB/min).
 *
 * Every loop is bounded: by its request count (burst) or its deadline (soak),
 * and every poll by a hard stop. Loopback only.
 *
 *   npx tsx bench/load.bench.ts [--minutes 10] [--burst 64] [--soak-clients 2]
 */
import os from 'node:os';
import { generateAndFetchAll, pct, sleep, startServerProcess, type ServerProcess } from './lib/server-process.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
};
const MINUTES = arg('--minutes', 10);
const BURST_REQUESTS = arg('--burst', 64);
const BURST_CLIENTS = 16;
const SINGLE_REQUESTS = arg('--single', 8);
const SOAK_CLIENTS = arg('--soak-clients', 2);
const WARMUP_MIN = Math.min(2, MINUTES / 2);
const RSS_EVERY_MS = 10_000;
const BRANDS = ['167', '166', '122', '121', '120'];
const FORMATS = ['png', 'jpeg', 'webp'];

let seq = 0;
function body(template: '1061' | '1062'): object {
  const n = seq++;
  return {
    template_id: template,
    ...(template === '1062' ? { brand_id: BRANDS[n % BRANDS.length] } : {}),
    elements: [{ content_type: 'Heading #1', content: `Offer number ${n} — ${'up to '.repeat(n % 4)}${n % 90}% off` }],
    output_format: FORMATS[n % FORMATS.length],
  };
}

interface Outcome {
  latencies: number[];
  scenes: number;
  errors: string[];
  wallS: number;
}

/** `clients` loops share `total` requests of `make()`; each request is POST + poll every URL to 200. */
async function run(server: ServerProcess, clients: number, total: number, make: () => object, hardStop: number): Promise<Outcome> {
  const out: Outcome = { latencies: [], scenes: 0, errors: [], wallS: 0 };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total && Date.now() < hardStop) {
        next++;
        try {
          const r = await generateAndFetchAll(server, make(), hardStop);
          out.latencies.push(r.ms);
          out.scenes += r.scenes;
        } catch (e) {
          out.errors.push((e as Error).message);
        }
      }
    }),
  );
  out.wallS = (performance.now() - t0) / 1000;
  return out;
}

async function healthSamples(server: ServerProcess, count: number, everyMs: number, until?: () => boolean): Promise<number[]> {
  const xs: number[] = [];
  for (let i = 0; i < count && (until ? !until() : true); i++) {
    const t = performance.now();
    await (await fetch(`${server.base}/healthz`)).arrayBuffer();
    xs.push(performance.now() - t);
    await sleep(everyMs);
  }
  return xs;
}

/** Least-squares slope of y on x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

const f0 = (v: number) => v.toFixed(0);
const f1 = (v: number) => v.toFixed(1);

async function main(): Promise<void> {
  const server = await startServerProcess();
  const hardStop = Date.now() + (MINUTES + 15) * 60_000;
  try {
    console.log(`load bench | ${os.availableParallelism()} cores (shared machine: other processes may be running) | node ${process.version} | server pid ${server.child.pid}`);
    // Warm every worker thread (fonts, decoded images) before anything is timed.
    await run(server, 3, 3, () => body('1062'), hardStop);

    // ---- (a) burst, with its peers -------------------------------------------------
    const idleHealth = await healthSamples(server, 100, 10);
    const single = await run(server, 1, SINGLE_REQUESTS, () => body('1062'), hardStop);
    let burstDone = false;
    const burstHealthP = healthSamples(server, 100_000, 20, () => burstDone);
    const burst = await run(server, BURST_CLIENTS, BURST_REQUESTS, () => body('1062'), hardStop);
    burstDone = true;
    const burstHealth = await burstHealthP;

    console.log('\n(a) burst, template 1062 (8 scenes), POST → every URL 200');
    console.log('clients  requests   p50 ms   p95 ms   scenes/s   errors');
    for (const [clients, o] of [[1, single], [BURST_CLIENTS, burst]] as const) {
      console.log(`${String(clients).padStart(7)}  ${String(o.latencies.length + o.errors.length).padStart(8)}  ${f0(pct(o.latencies, 50)).padStart(7)}  ${f0(pct(o.latencies, 95)).padStart(7)}  ${f1(o.scenes / o.wallS).padStart(9)}  ${String(o.errors.length).padStart(7)}`);
    }
    console.log(`burst vs 1 client: p50 ${(pct(burst.latencies, 50) / pct(single.latencies, 50)).toFixed(2)}x, scenes/s ${(burst.scenes / burst.wallS / (single.scenes / single.wallS)).toFixed(2)}x`);
    console.log(`/healthz idle: p50 ${f1(pct(idleHealth, 50))} ms, p99 ${f1(pct(idleHealth, 99))} ms (${idleHealth.length} probes)`);
    console.log(`/healthz during burst: p50 ${f1(pct(burstHealth, 50))} ms, p99 ${f1(pct(burstHealth, 99))} ms (${burstHealth.length} probes); p99 ${(pct(burstHealth, 99) / pct(idleHealth, 99)).toFixed(1)}x idle`);
    for (const e of [...new Set(burst.errors)].slice(0, 5)) console.log(`  error: ${e}`);
    console.log(`RSS after burst: ${f0(server.rssMb())} MB (peak so far ${f0(server.peakRssMb())} MB)`);

    // ---- (b) soak ------------------------------------------------------------------
    if (MINUTES <= 0) return;
    console.log(`\n(b) soak: ${SOAK_CLIENTS} clients for ${MINUTES} min (1061/1062 alternating, png/jpeg/webp, job read + template list per request); RSS every ${RSS_EVERY_MS / 1000} s`);
    const soakStart = Date.now();
    const soakEnd = soakStart + MINUTES * 60_000;
    const samples: Array<[number, number]> = [];
    // RSS split into anonymous memory (heaps, buffers: where a leak shows) and file-backed pages (mapped files).
    const anon: Array<[number, number]> = [];
    const file: Array<[number, number]> = [];
    const sample = () => {
      const min = (Date.now() - soakStart) / 60_000;
      const rss = server.rssMb();
      const split = server.rssSplitMb();
      samples.push([min, rss]);
      anon.push([min, split.anon]);
      file.push([min, split.file]);
      return { min, rss, split };
    };
    const sampler = (async () => {
      while (Date.now() < soakEnd) {
        const { min, rss, split } = sample();
        console.log(`  t=${min.toFixed(2)} min  RSS ${f1(rss)} MB (anon ${f1(split.anon)}, file ${f1(split.file)})`);
        await sleep(Math.min(RSS_EVERY_MS, Math.max(0, soakEnd - Date.now())));
      }
      sample();
    })();
    const soak: Outcome = { latencies: [], scenes: 0, errors: [], wallS: 0 };
    let reads = 0;
    let readErrors = 0;
    await Promise.all(
      Array.from({ length: SOAK_CLIENTS }, async (_, c) => {
        for (let i = 0; Date.now() < soakEnd; i++) {
          try {
            const r = await generateAndFetchAll(server, body((i + c) % 2 ? '1061' : '1062'), Math.min(hardStop, soakEnd + 60_000));
            soak.latencies.push(r.ms);
            soak.scenes += r.scenes;
            for (const url of [`/v1/jobs/${r.requestId}`, '/v1/ads/templates']) {
              const res = await fetch(`${server.base}${url}`, { headers: { api_token: server.token } });
              await res.arrayBuffer();
              reads++;
              if (res.status !== 200) readErrors++;
            }
          } catch (e) {
            soak.errors.push((e as Error).message);
          }
        }
      }),
    );
    soak.wallS = (Date.now() - soakStart) / 1000;
    await sampler;

    const warm = ([m]: [number, number]) => m >= WARMUP_MIN;
    const after = samples.filter(warm);
    const s = slope(after);
    const half = samples.filter(([m]) => m >= WARMUP_MIN + (MINUTES - WARMUP_MIN) / 2);
    console.log(`soak: ${soak.latencies.length} requests, ${soak.scenes} scenes, ${f1(soak.scenes / soak.wallS)} scenes/s, p50 ${f0(pct(soak.latencies, 50))} ms, p95 ${f0(pct(soak.latencies, 95))} ms, errors ${soak.errors.length}; ${reads} reads, ${readErrors} not 200`);
    for (const e of [...new Set(soak.errors)].slice(0, 5)) console.log(`  error: ${e}`);
    const rssAfter = after.map((p) => p[1]);
    console.log(`RSS after ${WARMUP_MIN}-min warm-up: first ${f1(rssAfter[0] ?? NaN)} MB, last ${f1(rssAfter[rssAfter.length - 1] ?? NaN)} MB, min ${f1(Math.min(...rssAfter))} MB, max ${f1(Math.max(...rssAfter))} MB (${after.length} samples); peak RSS of the run ${f0(server.peakRssMb())} MB`);
    console.log(`RSS slope after warm-up: ${s.toFixed(2)} MB/min (least squares, ${after.length} samples; second half alone: ${slope(half).toFixed(2)} MB/min) — target ≤ 1 MB/min: ${s <= 1 ? 'met' : 'NOT met'}`);
    console.log(`  of which anonymous ${slope(anon.filter(warm)).toFixed(2)} MB/min, file-backed ${slope(file.filter(warm)).toFixed(2)} MB/min`);
  } finally {
    await server.stop();
  }
}

await main();
