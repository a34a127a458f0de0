/**
 * The API server under load, end to end: a real `src/server/main.ts` process on
 * an ephemeral loopback port with a temp data dir and the default worker pool.
 * Each client POSTs template 1062 (8 scenes, a public brand, its own heading)
 * and polls every result URL until it answers 200 with a body (every 50 ms, a
 * client faster than Retry-After). Reports p50/p95 of POST → all URLs 200 and
 * scenes/s at 1, 4 and 16 clients, the server's peak RSS, and /healthz p99
 * while 16 clients render. Loopback only; loops are bounded in count and time.
 *
 *   npx tsx bench/server.bench.ts [--requests 12]
 */
import os from 'node:os';
import { generateAndFetchAll, pct, probeHealth, startServerProcess } from './lib/server-process.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS_PER_LEVEL = arg('--requests', 12);
const LEVELS = [1, 4, 16];
const BRANDS = ['167', '166', '122', '121', '120'];
const HARD_STOP = Date.now() + 10 * 60_000;

async function main(): Promise<void> {
  const server = await startServerProcess();
  let seq = 0;

  const oneAd = () => {
    const n = seq++;
    return generateAndFetchAll(
      server,
      { template_id: '1062', brand_id: BRANDS[n % BRANDS.length], elements: [{ layer_type: 'text', content_type: 'Heading #1', content: `Offer number ${n}` }] },
      HARD_STOP,
    );
  };

  // Warm every worker thread (fonts, decoded images).
  await Promise.all([oneAd(), oneAd(), oneAd()]);

  console.log(`server bench | template 1062, 8 scenes, no smart image | ${os.availableParallelism()} cores | node ${process.version}`);
  console.log('clients  requests   p50 ms   p95 ms   scenes/s');
  for (const clients of LEVELS) {
    const latencies: number[] = [];
    let scenes = 0;
    let next = 0;
    const total = Math.max(REQUESTS_PER_LEVEL, clients * 2);
    const prober = clients === 16 ? probeHealth(server) : null;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < total) {
          next++;
          const r = await oneAd();
          latencies.push(r.ms);
          scenes += r.scenes;
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    const health = (await prober?.stop()) ?? [];
    console.log(`${String(clients).padStart(7)}  ${String(total).padStart(8)}  ${pct(latencies, 50).toFixed(0).padStart(7)}  ${pct(latencies, 95).toFixed(0).padStart(7)}  ${(scenes / wall).toFixed(1).padStart(9)}`);
    if (health.length) console.log(`         /healthz under 16 clients: p50 ${pct(health, 50).toFixed(1)} ms, p99 ${pct(health, 99).toFixed(1)} ms (${health.length} probes)`);
  }
  console.log(`server peak RSS: ${server.peakRssMb().toFixed(0)} MB`);
  await server.stop();
}

await main();
