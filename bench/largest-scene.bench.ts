/**
 * Memory of the largest scene the limits allow (issue 9: four 8192×8192 scenes
 * at scale 2 took the server to 15.3 GB and left 8.4 GB held). A real
 * `src/server/main.ts` process (default render threads, models not preloaded so
 * that their memory does not blur the figure); its peak RSS (VmHWM, reset before
 * each phase through /proc/<pid>/clear_refs) while it renders:
 *   - the peer: template 1061, 8 scenes at their own size (a plain job);
 *   - the largest scene: 1061's Instagram post scaled to 6324×6324 = 39,992,976
 *     pixels, just under the 40 MP default (ADSMITH_MAX_SCENE_PIXELS), with its
 *     photo, product image, gradient, shapes and a 5,000-character heading;
 *   - two of them at once (one job, one per render thread: the most the
 *     default limits let two threads hold).
 * Then RSS after the server has been idle, to see the memory given back.
 * Prints medians over --runs and ratios to the peer. Loopback only.
 *
 *   npx tsx bench/largest-scene.bench.ts [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import { publicTemplate } from '../src/assets/index.js';
import { DEFAULT_LIMITS } from '../src/server/contract/limits.js';
import { generateAndFetchAll, sleep, startServerProcess, type ServerProcess } from './lib/server-process.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 3);
const HARD_STOP = Date.now() + 8 * 60_000;
const SIDE = Math.floor(Math.sqrt(DEFAULT_LIMITS.scenePixels));

type Json = Record<string, unknown>;

/** 1061's first scene with every length scaled by `factor`: the same ad, bigger. */
function scaledScene(factor: number, suffix: string): Json {
  const scene = structuredClone(publicTemplate('1061')!.scenes[0]!) as unknown as Json & { elements: Array<Json & { box: Record<string, number>; style: Json }> };
  scene['width'] = SIDE;
  scene['height'] = SIDE;
  scene['name'] = `Largest allowed ${SIDE}×${SIDE} ${suffix}`;
  for (const el of scene.elements) {
    el['id'] = `${String(el['id'])}-${suffix}`;
    for (const k of ['x', 'y', 'width', 'height'] as const) if (typeof el.box[k] === 'number') el.box[k] = el.box[k] * factor;
    const size = el.style['font_size'] as { max: number; min: number } | undefined;
    if (size) el.style['font_size'] = { max: size.max * factor, min: size.min * factor };
    if (typeof el.style['corner_radius'] === 'number') el.style['corner_radius'] = (el.style['corner_radius'] as number) * factor;
  }
  return scene;
}

async function post(server: ServerProcess, url: string, body: object): Promise<Json> {
  const res = await fetch(`${server.base}${url}`, { method: 'POST', headers: { api_token: server.token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Json;
  if (res.status >= 300) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Resets the child's peak RSS (VmHWM) to its current RSS: Linux clear_refs, value 5. */
function resetPeak(server: ServerProcess): void {
  fs.writeFileSync(`/proc/${server.child.pid}/clear_refs`, '5');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function peakOf(server: ServerProcess, body: object): Promise<{ peakMb: number; ms: number }> {
  await sleep(500);
  resetPeak(server);
  const { ms } = await generateAndFetchAll(server, body, HARD_STOP);
  return { peakMb: server.peakRssMb(), ms };
}

async function main(): Promise<void> {
  const server = await startServerProcess({ ADSMITH_PRELOAD_MODELS: '0' });
  try {
    const factor = SIDE / 1080;
    const heading = 'Summer linen, washed soft, cut loose for long days. '.repeat(100).slice(0, DEFAULT_LIMITS.textChars);
    const one = await post(server, '/v1/ads/templates', { schema_version: 1, name: 'Largest scene', description: 'bench', requires_brand: false, scenes: [scaledScene(factor, 'a')] });
    const two = await post(server, '/v1/ads/templates', { schema_version: 1, name: 'Two largest scenes', description: 'bench', requires_brand: false, scenes: [scaledScene(factor, 'a'), scaledScene(factor, 'b')] });
    const plainBody = { template_id: '1061', elements: [{ content_type: 'Heading #1', content: 'Summer sale' }] };
    const largestBody = (id: unknown) => ({ template_id: String(id), elements: [{ content_type: 'Heading #1', content: heading }] });

    // Warm both render threads (fonts, decoded images), then note the idle figure.
    await generateAndFetchAll(server, plainBody, HARD_STOP);
    await sleep(1000);
    const idleMb = server.rssMb();

    const rows: Array<{ name: string; peaks: number[]; ms: number[] }> = [
      { name: 'peer: 1061, 8 scenes', peaks: [], ms: [] },
      { name: `largest scene ${SIDE}×${SIDE}`, peaks: [], ms: [] },
      { name: 'two largest at once', peaks: [], ms: [] },
    ];
    for (let run = 0; run < RUNS; run++) {
      const bodies = [plainBody, largestBody(one['id']), largestBody(two['id'])];
      for (let i = 0; i < rows.length; i++) {
        const r = await peakOf(server, bodies[i]!);
        rows[i]!.peaks.push(r.peakMb);
        rows[i]!.ms.push(r.ms);
      }
    }
    // Given back? RSS once idle (the image cache keeps decoded inputs, at most 256 MiB by default).
    await sleep(5000);
    const afterMb = server.rssMb();

    console.log(`largest-scene bench | ${os.availableParallelism()} cores | node ${process.version} | ${RUNS} runs | limit ${DEFAULT_LIMITS.scenePixels.toLocaleString('en-US')} px per scene`);
    console.log(`idle after warm-up: RSS ${idleMb.toFixed(0)} MB`);
    console.log('job                               peak RSS MB (median)   × peer   render ms (median)');
    const peer = median(rows[0]!.peaks);
    for (const row of rows) {
      const p = median(row.peaks);
      console.log(`${row.name.padEnd(34)}${p.toFixed(0).padStart(10)}${'  '.repeat(6)}${(p / peer).toFixed(2).padStart(6)}${median(row.ms).toFixed(0).padStart(14)}`);
    }
    console.log(`RSS after 5 s idle: ${afterMb.toFixed(0)} MB (idle before: ${idleMb.toFixed(0)} MB)`);
  } finally {
    await server.stop();
  }
}

await main();
