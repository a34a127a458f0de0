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
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = 'bench-token-0123456789abcdef';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS_PER_LEVEL = arg('--requests', 12);
const LEVELS = [1, 4, 16];
const BRANDS = ['167', '166', '122', '121', '120'];
const HARD_STOP = Date.now() + 10 * 60_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number) : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADSMITH_DATA_DIR: dataDir, ADSMITH_API_TOKEN: TOKEN, ADSMITH_LOG: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ADSMITH_READY port=(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (c) => reject(new Error(`server exited ${c}`)));
    setTimeout(() => reject(new Error('server did not start')), 30_000);
  });
  const base = `http://127.0.0.1:${port}`;
  let seq = 0;

  async function oneAd(): Promise<{ ms: number; scenes: number }> {
    const n = seq++;
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/ads/generate`, {
      method: 'POST',
      headers: { api_token: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1062', brand_id: BRANDS[n % BRANDS.length], elements: [{ layer_type: 'text', content_type: 'Heading #1', content: `Offer number ${n}` }] }),
    });
    if (res.status !== 200) throw new Error(`generate answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { result: Array<{ url: string }> };
    await Promise.all(
      body.result.map(async (r) => {
        const url = `${base}${new URL(r.url).pathname}`;
        for (;;) {
          const got = await fetch(url);
          const bytes = await got.arrayBuffer();
          if (got.status === 200 && bytes.byteLength > 0) return;
          if (got.status !== 202) throw new Error(`${url} answered ${got.status}`);
          if (Date.now() > HARD_STOP) throw new Error('bench time limit');
          await sleep(50);
        }
      }),
    );
    return { ms: performance.now() - t0, scenes: body.result.length };
  }

  // Warm every worker thread (fonts, decoded images).
  await Promise.all([oneAd(), oneAd(), oneAd()]);

  console.log(`server bench | template 1062, 8 scenes, no smart image | ${os.availableParallelism()} cores | node ${process.version}`);
  console.log('clients  requests   p50 ms   p95 ms   scenes/s');
  for (const clients of LEVELS) {
    const latencies: number[] = [];
    let scenes = 0;
    let next = 0;
    const total = Math.max(REQUESTS_PER_LEVEL, clients * 2);
    const health: number[] = [];
    let load = true;
    const prober =
      clients === 16
        ? (async () => {
            while (load && Date.now() < HARD_STOP) {
              const t = performance.now();
              await (await fetch(`${base}/healthz`)).arrayBuffer();
              health.push(performance.now() - t);
              await sleep(20);
            }
          })()
        : Promise.resolve();
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
    load = false;
    await prober;
    console.log(`${String(clients).padStart(7)}  ${String(total).padStart(8)}  ${pct(latencies, 50).toFixed(0).padStart(7)}  ${pct(latencies, 95).toFixed(0).padStart(7)}  ${(scenes / wall).toFixed(1).padStart(9)}`);
    if (health.length) console.log(`         /healthz under 16 clients: p50 ${pct(health, 50).toFixed(1)} ms, p99 ${pct(health, 99).toFixed(1)} ms (${health.length} probes)`);
  }
  console.log(`server peak RSS: ${peakRssMb(child.pid as number).toFixed(0)} MB`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
