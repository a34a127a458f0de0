/**
 * expand_image methods side by side on the real-photo corpus, and the ISNet variant
 * table, all measured in one run (issue 14 item 2 and its bench target).
 *
 * For each corpus photo (512 px, cut out once by ISNet medium) and each frame — 1:4,
 * 2:3, 4:1, 8:1 (long side 1024, 8:1 at 2048×256 as the real-photo test) — every method
 * fills the frame; per method and frame it prints the median time, the seam ratio
 * (helpers/seam.ts borderSeams, the real-photo test's measure: step across the photo's
 * border ÷ (1.5 × the photo's own step + 1.5); the test's limit is 1.5), the smear
 * (mean gradient magnitude in the fill ÷ that of the photo's background band along the
 * filled sides; 1 = as much fine detail as the photo, lower = blurrier; "far" = fill
 * more than 64 px from the photo), streaks (how much more one gradient direction
 * dominates in the fill than in that band; 1 = alike, stretched columns ≫ 1) and clones (ISNet on the fill alone, 8:1 and 1:4 frames: largest salient blob
 * as a fraction of the fill; the test's limit is 0.03).
 * Then 1024² → 1920×1080 times per method, and ISNet `medium` (fp16) vs `small`
 * (quint8): time, IoU against medium's matte on the corpus, IoU against ground truth
 * on synthetic product photos (test/fixtures/smart-image/synth.ts, exact masks).
 *
 * Run: node scripts/fetch-photo-corpus.mjs && npx tsx bench/expand.bench.ts
 *      [PHOTOS=coffee,camera] [RUNS=3 (1920×1080 timing)] [SKIP_ISNET_TABLE=1]
 */
import { performance } from 'node:perf_hooks';
import { IsnetCutout } from '../src/smart-image/cutout.js';
import { expandImage } from '../src/smart-image/expand.js';
import { membraneExpand } from '../src/smart-image/expand-membrane.js';
import { resizeGray, resizeRgba } from '../src/smart-image/image.js';
import { resolvePlacement } from '../src/smart-image/placement.js';
import { OfflineSmartImageService } from '../src/smart-image/service.js';
import type { PreparedSmartImage, RawImage } from '../src/smart-image/types.js';
import { iou, makeProductPhoto, type Backdrop, type SubjectKind } from '../test/fixtures/smart-image/synth.js';
import { assertCorpusPresent, corpusPhotos, loadCorpusPhoto } from '../test/smart-image/helpers/photo-corpus.js';
import { fillOnly, largestBlobFraction, photoRect } from '../test/smart-image/helpers/real-photo-run.js';
import { borderSeams } from '../test/smart-image/helpers/seam.js';

type Rect = { x: number; y: number; width: number; height: number };
type Method = { name: string; run: (prep: PreparedSmartImage, frame: { width: number; height: number }, rect: Rect) => Promise<RawImage> };

const METHODS: Method[] = [
  { name: '(a) PatchMatch, band refine', run: (p, f, r) => expandImage(p.photo, p.alpha, f, r, { seed: 1, method: 'patchmatch' }) },
  { name: '(b) blurred backdrop', run: (p, f, r) => expandImage(p.photo, p.alpha, f, r, { method: 'backdrop' }) },
  { name: '(c) membrane + PM texture', run: (p, f, r) => membraneExpand(p.photo, p.alpha, f, r, { seed: 1 }) },
  { name: '(d) PatchMatch, full refine', run: (p, f, r) => expandImage(p.photo, p.alpha, f, r, { seed: 1, method: 'patchmatch', refine: 'full' }) },
  { name: '(e) PatchMatch near, backdrop far', run: (p, f, r) => expandImage(p.photo, p.alpha, f, r, { seed: 1, method: 'patchmatch-backdrop' }) },
];
const FRAMES = [
  { name: '1:4', width: 256, height: 1024 },
  { name: '2:3', width: 683, height: 1024 },
  { name: '4:1', width: 1024, height: 256 },
  { name: '8:1', width: 2048, height: 256 },
];
const CLONE_FRAMES = new Set(['1:4', '8:1']);
const SEAM_LIMIT = 1.5, CLONE_LIMIT = 0.03;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

/** Mean |∂x| and |∂y| over RGB at the pixels `take` accepts (with their right and lower neighbours). */
function gradients(img: RawImage, take: (x: number, y: number) => boolean): { x: number; y: number } {
  let gx = 0, gy = 0, n = 0;
  const { data, width: w, height: h } = img;
  for (let y = 0; y < h - 1; y++)
    for (let x = 0; x < w - 1; x++) {
      if (!take(x, y) || !take(x + 1, y) || !take(x, y + 1)) continue;
      const i = (y * w + x) * 4;
      for (let c = 0; c < 3; c++) {
        gx += Math.abs(data[i + c]! - data[i + 4 + c]!);
        gy += Math.abs(data[i + c]! - data[i + w * 4 + c]!);
      }
      n += 3;
    }
  return { x: gx / n, y: gy / n };
}

/**
 * Texture of the fill against the photo's background band (alpha ≤ 8, within `band` px
 * of a side that has fill: what the fill continues). smear: the fill's mean gradient
 * magnitude ÷ the band's, overall and beyond `far` px from the photo (below 1: blurrier
 * than the photo). streaks: how much more one direction dominates the fill's gradients
 * than the band's ((gx/gy of the fill) ÷ (gx/gy of the band), or its inverse, ≥ 1;
 * stretched columns or rows give ≫ 1).
 */
function texture(out: RawImage, placed: RawImage, alpha: Uint8Array, rect: Rect, band = 32, far = 64): { all: number; far: number; streaks: number } {
  const sides = { left: rect.x >= 4, right: out.width - (rect.x + rect.width) >= 4, top: rect.y >= 4, bottom: out.height - (rect.y + rect.height) >= 4 };
  const inBand = (x: number, y: number) =>
    (sides.left && x < band) || (sides.right && x >= placed.width - band) || (sides.top && y < band) || (sides.bottom && y >= placed.height - band);
  const bg = gradients(placed, (x, y) => alpha[y * placed.width + x]! <= 8 && inBand(x, y));
  const dist = (x: number, y: number) => Math.max(rect.x - x, x - (rect.x + rect.width - 1), rect.y - y, y - (rect.y + rect.height - 1), 0);
  const all = gradients(out, (x, y) => dist(x, y) > 2);
  const farG = gradients(out, (x, y) => dist(x, y) > far);
  const a = (all.x / Math.max(0.05, all.y)) / (bg.x / Math.max(0.05, bg.y));
  return { all: (all.x + all.y) / (bg.x + bg.y), far: (farG.x + farG.y) / (bg.x + bg.y), streaks: Math.max(a, 1 / a) };
}

assertCorpusPresent();
const service = new OfflineSmartImageService({ cacheSize: 2 });
const status = await service.warm();
if (!status.ok) throw new Error(status.detail);
const only = process.env.PHOTOS?.split(',');
const photos = corpusPhotos().filter((p) => !only || only.some((o) => p.file.startsWith(o)));

type Cell = { ms: number[]; seam: number[]; smear: number[]; far: number[]; streaks: number[]; clone: number[]; worst: Array<[number, string]> };
const cells = new Map<string, Cell>();
const cell = (m: string, f: string) => {
  const k = `${m}|${f}`;
  let c = cells.get(k);
  if (!c) cells.set(k, (c = { ms: [], seam: [], smear: [], far: [], streaks: [], clone: [], worst: [] }));
  return c;
};

const started = performance.now();
for (const p of photos) {
  const { bytes } = await loadCorpusPhoto(p);
  const prep = await service.prepare({ image: bytes, operation: 'expand_image', seed: 1 });
  for (const f of FRAMES) {
    const frame = { width: f.width, height: f.height, placement: resolvePlacement(undefined) };
    const rect = photoRect(prep, frame);
    const placed = await resizeRgba(prep.photo, rect.width, rect.height, 'lanczos3');
    const palpha = await resizeGray(prep.alpha, prep.photo.width, prep.photo.height, rect.width, rect.height);
    for (const m of METHODS) {
      const t = performance.now();
      const out = await m.run(prep, frame, rect);
      const ms = performance.now() - t;
      const c = cell(m.name, f.name);
      c.ms.push(ms);
      const seams = borderSeams(out, placed, rect);
      if (seams.length) {
        const worst = Math.max(...seams.map((s) => s.ratio));
        c.seam.push(worst);
        c.worst.push([worst, p.file]);
      }
      const s = texture(out, placed, palpha, rect);
      if (Number.isFinite(s.all)) c.smear.push(s.all);
      if (Number.isFinite(s.far)) c.far.push(s.far);
      if (Number.isFinite(s.streaks)) c.streaks.push(s.streaks);
      if (CLONE_FRAMES.has(f.name)) {
        const fill = fillOnly(out, rect);
        if (fill) c.clone.push(largestBlobFraction(await service.cutout.matte(fill), fill.width, fill.height));
      }
    }
  }
  console.error(`expand bench: ${p.file} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

console.log(`\nexpand_image methods on ${photos.length} corpus photos (512 px), one run each; seam limit ${SEAM_LIMIT}, clone limit ${CLONE_LIMIT}`);
console.log('| method | frame | median ms | seam median / max (photo) | over limit | smear median / min | far smear median | streaks median / max | clone max | over limit |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const m of METHODS)
  for (const f of FRAMES) {
    const c = cell(m.name, f.name);
    const worst = c.worst.reduce((a, b) => (b[0] > a[0] ? b : a), [0, '-'] as [number, string]);
    const clone = c.clone.length ? `${Math.max(...c.clone).toFixed(3)} | ${c.clone.filter((v) => v > CLONE_LIMIT).length}/${c.clone.length}` : '- | -';
    console.log(
      `| ${m.name} | ${f.name} | ${Math.round(median(c.ms))} | ${median(c.seam).toFixed(2)} / ${worst[0].toFixed(2)} (${worst[1]}) | ${c.seam.filter((v) => v > SEAM_LIMIT).length}/${c.seam.length} | ${median(c.smear).toFixed(2)} / ${Math.min(...c.smear).toFixed(2)} | ${median(c.far).toFixed(2)} | ${median(c.streaks).toFixed(2)} / ${Math.max(...c.streaks).toFixed(2)} | ${clone} |`,
    );
  }

// The budget case: a 1024² photo into a 1920×1080 frame, photo at 1:1, centred.
const runs = Number(process.env.RUNS ?? 3);
{
  const p = corpusPhotos().find((x) => x.file === 'astronaut.png') ?? photos[0]!;
  const { photo } = await loadCorpusPhoto(p, 1024);
  const big = await resizeRgba(photo, 1024, 1024);
  const alpha = await service.cutout.matte(big);
  const prep = { photo: big, alpha } as PreparedSmartImage;
  const frame = { width: 1920, height: 1080 }, rect = { x: 448, y: 28, width: 1024, height: 1024 };
  console.log(`\n${p.file} at 1024² → 1920×1080, ${runs} runs after one warm-up`);
  console.log('| method | median ms | min ms |');
  console.log('|---|---|---|');
  for (const m of METHODS) {
    await m.run(prep, frame, rect);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await m.run(prep, frame, rect);
      ms.push(performance.now() - t);
    }
    console.log(`| ${m.name} | ${Math.round(median(ms))} | ${Math.round(Math.min(...ms))} |`);
  }
}

if (!process.env.SKIP_ISNET_TABLE) {
  // ISNet variants: medium (fp16, the default) and small (quint8), each loaded on its own.
  const medium = service.cutout;
  const small = new IsnetCutout({ variant: 'small' });
  await small.load();
  const smallStatus = small.status();
  console.log(`\nISNet variants (${smallStatus.detail}; ${medium.status().detail})`);
  const synth: Array<{ name: string; photo: RawImage; mask: Uint8Array }> = [];
  for (const s of ['bottle', 'mug', 'sneaker'] as SubjectKind[])
    for (const b of ['plain', 'gradient', 'texture'] as Backdrop[]) synth.push({ name: `${s} on ${b}`, ...makeProductPhoto(512, s, b) });
  const rows: Record<string, { ms: number[]; vsMedium: number[]; vsTruth: number[] }> = { medium: { ms: [], vsMedium: [], vsTruth: [] }, small: { ms: [], vsMedium: [], vsTruth: [] } };
  if (!smallStatus.ok) console.log(`small does not load under onnxruntime-node: ${smallStatus.detail}`);
  const variants = smallStatus.ok ? ([['medium', medium], ['small', small]] as const) : ([['medium', medium]] as const);
  for (const p of photos) {
    const { photo } = await loadCorpusPhoto(p);
    const ref = await medium.matte(photo);
    for (const [name, v] of variants) {
      const t = performance.now();
      const a = await v.matte(photo);
      rows[name]!.ms.push(performance.now() - t);
      rows[name]!.vsMedium.push(iou(a, ref));
    }
  }
  for (const s of synth)
    for (const [name, v] of variants) {
      const t = performance.now();
      const a = await v.matte(s.photo);
      rows[name]!.ms.push(performance.now() - t);
      rows[name]!.vsTruth.push(iou(a, s.mask));
    }
  console.log(`${photos.length} corpus photos (512 px) + ${synth.length} synthetic product photos with exact masks (512 px)`);
  console.log('| variant | model size | median matte ms | IoU vs medium, corpus (median / min) | IoU vs ground truth, synthetic (median / min) |');
  console.log('|---|---|---|---|---|');
  for (const [name] of variants) {
    const r = rows[name]!;
    console.log(`| ${name} | ${name === 'medium' ? '88 MB fp16' : '44 MB quint8'} | ${Math.round(median(r.ms))} | ${median(r.vsMedium).toFixed(4)} / ${Math.min(...r.vsMedium).toFixed(4)} | ${median(r.vsTruth).toFixed(4)} / ${Math.min(...r.vsTruth).toFixed(4)} |`);
  }
}
console.error(`expand bench: ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
