/**
 * Smart image through the whole server: a real `src/server/main.ts` process
 * (default settings: models preloaded in the background, one render thread per
 * core), template 1062 (8 scenes). One client at a time, POST → every result URL
 * 200, in three variants measured in the same run, interleaved so they share the
 * machine's conditions:
 *
 *   plain       the same request without smart_image (the peer)
 *   smart       smart_image lifestyle_shot_by_text #hex with the product photo;
 *               its cut-out is cached (same image content as the warm-up)
 *   smart+cut   the same with a photo never seen before (one pixel changed), so
 *               every run pays the ISNet cut-out
 *
 * Also reported: model load times (from /healthz), the cut-out times the jobs
 * recorded, the server's peak RSS with every model loaded, and /healthz latency
 * while it works. Loopback only; bounded in time.
 *
 *   npx tsx bench/server-smart-image.bench.ts [--runs 7]
 */
import os from 'node:os';
import sharp from 'sharp';
import { formatTable, summarise, type Row } from './lib/stats.js';
import { generateAndFetchAll, pct, probeHealth, sleep, startServerProcess, type ServerProcess } from './lib/server-process.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = Math.max(5, arg('--runs', 7));
const HARD_STOP = Date.now() + 15 * 60_000;
const PRODUCT = new URL('../src/assets/images/product.png', import.meta.url).pathname;

type Health = { status: string; parts: Record<string, { ok: boolean; state: string; reason: string; load_ms?: number }> };

async function health(server: ServerProcess): Promise<Health> {
  return (await (await fetch(`${server.base}/healthz`)).json()) as Health;
}

async function upload(server: ServerProcess, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'product.png');
  const res = await fetch(`${server.base}/v1/files`, { method: 'POST', headers: { api_token: server.token }, body: form });
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

/** The product photo with one pixel changed: new content, new hash, so the server must cut it out again. */
async function freshProduct(n: number): Promise<Buffer> {
  const dot = await sharp({ create: { width: 1, height: 1, channels: 4, background: { r: n % 256, g: (n >> 8) % 256, b: 7, alpha: 1 } } }).png().toBuffer();
  return sharp(PRODUCT).composite([{ input: dot, left: 0, top: 0 }]).png().toBuffer();
}

/** The cut-out time a job recorded in its scene warnings ("computed once for this request in N ms"). */
async function recordedCutoutMs(server: ServerProcess, requestId: string): Promise<number | null> {
  const job = (await (await fetch(`${server.base}/v1/jobs/${requestId}`, { headers: { api_token: server.token } })).json()) as { result: Array<{ warnings?: string[] }> };
  const m = /computed once for this request in (\d+) ms/.exec((job.result[0]?.warnings ?? []).join(' '));
  return m ? Number(m[1]) : null;
}

async function main(): Promise<void> {
  const server = await startServerProcess({ ADSMITH_PRELOAD_MODELS: '1', ADSMITH_SYNC_TIMEOUT: '300' });
  const t0 = performance.now();
  let h = await health(server);
  while (['not_loaded', 'loading'].some((s) => h.parts['smart_image']?.state === s || h.parts['image_moderation']?.state === s)) {
    if (Date.now() > HARD_STOP) throw new Error('models did not load');
    await sleep(50);
    h = await health(server);
  }
  const readyMs = performance.now() - t0;
  for (const part of ['smart_image', 'image_moderation']) if (!h.parts[part]?.ok) throw new Error(`${part}: ${h.parts[part]?.reason}`);

  const base = { template_id: '1062', brand_id: '121' };
  const smart = (url: string) => ({ ...base, smart_image: { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#2a6f97' } } });
  const productUrl = await upload(server, await sharp(PRODUCT).png().toBuffer());

  // Warm-up: render threads (fonts, images), the first cut-out of the product, and one moderated request (classifier warm).
  await generateAndFetchAll(server, base, HARD_STOP);
  const cold = await generateAndFetchAll(server, smart(productUrl), HARD_STOP);
  const coldCut = await recordedCutoutMs(server, cold.requestId);
  await generateAndFetchAll(server, { ...base, content_moderation: true }, HARD_STOP);

  const samples: Record<'plain' | 'smart' | 'smart+cut', number[]> = { plain: [], smart: [], 'smart+cut': [] };
  const cuts: number[] = [];
  const prober = probeHealth(server, 25);
  for (let i = 0; i < RUNS; i++) {
    samples.plain.push((await generateAndFetchAll(server, base, HARD_STOP)).ms);
    samples.smart.push((await generateAndFetchAll(server, smart(productUrl), HARD_STOP)).ms);
    const fresh = await upload(server, await freshProduct(i + 1));
    const r = await generateAndFetchAll(server, smart(fresh), HARD_STOP);
    samples['smart+cut'].push(r.ms);
    const cut = await recordedCutoutMs(server, r.requestId);
    if (cut !== null) cuts.push(cut);
  }
  const healthMs = await prober.stop();

  console.log(`server smart-image bench | template 1062, 8 scenes, one client, ${RUNS} runs each | ${os.availableParallelism()} cores | node ${process.version}`);
  console.log('POST → every URL 200 (ms):');
  const rows: Row[] = (Object.keys(samples) as Array<keyof typeof samples>).map((name) => ({ name, timing: summarise(samples[name]) }));
  console.log(formatTable(rows, 'plain'));
  console.log(`model load (models thread, preloaded at start): ISNet ${h.parts['smart_image']?.load_ms} ms, nsfwjs ${h.parts['image_moderation']?.load_ms} ms; both ready ${readyMs.toFixed(0)} ms after the port opened`);
  console.log(`cut-out (decode + ISNet, as the jobs recorded it): first ${coldCut ?? '?'} ms; fresh images median ${summarise(cuts).median.toFixed(0)} ms, p95 ${summarise(cuts).p95.toFixed(0)} ms (${cuts.length} runs)`);
  console.log(`/healthz while rendering: p50 ${pct(healthMs, 50).toFixed(1)} ms, p99 ${pct(healthMs, 99).toFixed(1)} ms (${healthMs.length} probes)`);
  console.log(`server RSS with every model loaded: peak ${server.peakRssMb().toFixed(0)} MB, now ${server.rssMb().toFixed(0)} MB`);
  await server.stop();
}

await main();
