/**
 * Smart-image benchmark: model load, cut-out of a 1024-px photo (target ≤ 2 s),
 * expand 1024² → 1920×1080 (target ≤ 1.5 s), lifestyle frames, RSS with the
 * models loaded (target ≤ 600 MB). Prints medians. Run: npx tsx bench/smart-image.bench.ts
 */
import { IsnetCutout, extractSubject } from '../src/smart-image/cutout.js';
import { expandImage } from '../src/smart-image/expand.js';
import { encodePng } from '../src/smart-image/image.js';
import { resolvePlacement } from '../src/smart-image/placement.js';
import { OfflineSmartImageService } from '../src/smart-image/service.js';
import { ImageModerator } from '../src/moderation/image.js';
import { iou, makeProductPhoto } from '../test/fixtures/smart-image/synth.js';

const runs = Number(process.env.RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = () => Math.round(process.memoryUsage().rss / 1e6);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const { photo, mask } = makeProductPhoto(1024, 'bottle', 'texture');
for (const variant of ['medium', 'small'] as const) {
  for (const threads of [2, 1]) {
    const c = new IsnetCutout({ variant, threads });
    await c.load();
    let alpha: Uint8Array = new Uint8Array();
    const ts: number[] = [];
    for (let i = 0; i < runs; i++) ts.push(await time(async () => (alpha = await c.matte(photo))));
    console.log(`cut-out ISNet ${variant} threads=${threads}: load ${Math.round(c.loadMs)} ms, matte 1024² median ${Math.round(median(ts))} ms, IoU ${iou(alpha, mask).toFixed(4)}`);
    if (variant === 'small') break;
  }
}

const svc = new OfflineSmartImageService();
await svc.warm();
const png = await encodePng(photo);
const prep = await svc.prepare({ image: png, operation: 'expand_image' });
console.log(`prepare (decode + cut-out + subject): ${Math.round(prep.prepareMs)} ms; extract subject ${Math.round(await time(async () => extractSubject(prep.photo, prep.alpha)))} ms`);

const frame = { width: 1920, height: 1080, placement: resolvePlacement({}) };
const ex: number[] = [];
for (let i = 0; i < runs; i++) ex.push(await time(() => svc.renderFrame(prep, frame)));
console.log(`expand 1024² → 1920×1080 (placement default): median ${Math.round(median(ex))} ms (target ≤ 1500)`);
const rect = { x: 448, y: 28, width: 1024, height: 1024 };
const ex2: number[] = [];
for (let i = 0; i < runs; i++) ex2.push(await time(() => expandImage(prep.photo, prep.alpha, frame, rect)));
console.log(`expand 1024² → 1920×1080 (photo at 1:1, centred): median ${Math.round(median(ex2))} ms`);

for (const input of ['#f4d9c6', 'warm wooden table at sunset']) {
  const p = await svc.prepare({ image: png, operation: 'lifestyle_shot_by_text', input });
  const ls: number[] = [];
  for (let i = 0; i < runs; i++) ls.push(await time(() => svc.renderFrame(p, frame)));
  console.log(`lifestyle "${input}" 1920×1080: median ${Math.round(median(ls))} ms`);
}

const mod = new ImageModerator();
await mod.load();
const ms: number[] = [];
for (let i = 0; i < runs; i++) ms.push(await time(() => mod.check(png)));
console.log(`nsfw check: load ${Math.round(mod.loadMs)} ms, median ${Math.round(median(ms))} ms per image`);
console.log(`RSS with ISNet (several sessions in this process) + nsfwjs loaded: ${mb()} MB`);
