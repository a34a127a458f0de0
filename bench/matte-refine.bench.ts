/**
 * The cut-out's edge refinement (guided filter on the matte's edge band, matte.ts
 * refineEdge) against the clean-up without it, on one ISNet run per photo, all in one run:
 *
 * - synthetic product photos with exact masks (test/fixtures/smart-image/synth.ts), at
 *   512 px (ISNet's 1024² matte scaled down) and 2048 px (scaled up, as a large upload):
 *   mean absolute alpha error (0…1) on the edge band (pixels within 1 % of the longer
 *   side of the true edge) and over the photo, and IoU at 50 %;
 * - the real-photo corpus (512 px, as the real-photo test): the fraction of undecided
 *   alpha (0 < a < 255), and edge agreement: the cosine between |∇alpha| and |∇photo|
 *   over the pixels where either matte is soft or steps (1: the matte's edges lie
 *   exactly where the photo's are);
 * - the time refineEdge adds (median ms).
 *
 * With OUT=dir it writes before/after cut-outs on a checkerboard for PICS (default
 * chelsea, astronaut, grace_hopper, baboon).
 *
 * Run: node scripts/fetch-photo-corpus.mjs && npx tsx bench/matte-refine.bench.ts [OUT=/tmp/x] [PHOTOS=a,b] [RAW_CACHE=/tmp/raw]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { cleanMatte, IsnetCutout } from '../src/smart-image/cutout.js';
import type { RawImage } from '../src/smart-image/types.js';
import { iou, makeProductPhoto, type Backdrop, type SubjectKind } from '../test/fixtures/smart-image/synth.js';
import { assertCorpusPresent, corpusPhotos, loadCorpusPhoto } from '../test/smart-image/helpers/photo-corpus.js';
import { undecidedFraction } from '../test/smart-image/helpers/real-photo-run.js';

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

/** Pixels within r of a step across 50 % of the mask. */
function edgeBand(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const band = new Uint8Array(w * h);
  const steps: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x, a = mask[i]! >= 128;
      if ((x > 0 && mask[i - 1]! >= 128 !== a) || (y > 0 && mask[i - w]! >= 128 !== a) || (mask[i]! > 0 && mask[i]! < 255)) steps.push(i);
    }
  for (const i of steps) {
    const x = i % w, y = (i - x) / w;
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) band.fill(1, yy * w + Math.max(0, x - r), yy * w + Math.min(w - 1, x + r) + 1);
  }
  return band;
}

function meanAbs(a: Uint8Array, b: Uint8Array, take?: Uint8Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < a.length; i++) {
    if (take && !take[i]) continue;
    s += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return n ? s / n / 255 : 0;
}

/** Cosine between |∇alpha| and |∇photo| (RGB summed) over the pixels `take` marks. */
function edgeAgreement(photo: RawImage, alpha: Uint8Array, take: Uint8Array): number {
  const { width: w, height: h, data } = photo;
  let ag = 0, aa = 0, gg = 0;
  for (let y = 0; y < h - 1; y++)
    for (let x = 0; x < w - 1; x++) {
      const i = y * w + x;
      if (!take[i]) continue;
      const da = Math.hypot(alpha[i + 1]! - alpha[i]!, alpha[i + w]! - alpha[i]!);
      let dx = 0, dy = 0;
      for (let c = 0; c < 3; c++) {
        dx += Math.abs(data[(i + 1) * 4 + c]! - data[i * 4 + c]!);
        dy += Math.abs(data[(i + w) * 4 + c]! - data[i * 4 + c]!);
      }
      const dg = Math.hypot(dx, dy);
      ag += da * dg;
      aa += da * da;
      gg += dg * dg;
    }
  return aa && gg ? ag / Math.sqrt(aa * gg) : 0;
}

function timed(photo: RawImage, raw: Uint8Array, edge: 'guided' | 'none'): { alpha: Uint8Array; ms: number } {
  const t = performance.now();
  const alpha = cleanMatte(photo, raw, { edge });
  return { alpha, ms: performance.now() - t };
}

async function checkerCutout(photo: RawImage, alpha: Uint8Array): Promise<Buffer> {
  const { width: w, height: h } = photo;
  const out = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x, a = alpha[i]! / 255;
      const bg = ((x >> 3) + (y >> 3)) % 2 ? 200 : 120;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(photo.data[i * 4 + c]! * a + bg * (1 - a));
    }
  return sharp(out, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

const isnet = new IsnetCutout({ rawOutput: true });
/** RAW_CACHE=dir keeps ISNet's raw mattes, so a second run compares clean-ups without the model's time. */
const cut = {
  matte: async (photo: RawImage): Promise<Uint8Array> => {
    const dir = process.env.RAW_CACHE;
    if (!dir) return isnet.matte(photo);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${createHash('sha256').update(photo.data).digest('hex').slice(0, 16)}.bin`);
    if (existsSync(file)) return new Uint8Array(readFileSync(file));
    const raw = await isnet.matte(photo);
    writeFileSync(file, raw);
    return raw;
  },
  load: () => isnet.load(),
  status: () => isnet.status(),
};
await cut.load();
if (!cut.status().ok) throw new Error(cut.status().detail);
console.log(`matte-refine bench, ${cut.status().detail}; load: ${execFileSync('uptime').toString().trim()}`);
const times = { none: [] as number[], guided: [] as number[] };

console.log('\nSynthetic product photos (exact masks): mean |alpha error| on the edge band / over the photo, IoU');
console.log('| photo | size | band error none | band error guided | photo error none | photo error guided | IoU none | IoU guided |');
console.log('|---|---|---|---|---|---|---|---|');
const synthRows: { size: number; none: number; guided: number }[] = [];
for (const size of [512, 2048])
  for (const s of ['bottle', 'mug', 'sneaker'] as SubjectKind[])
    for (const b of ['plain', 'gradient', 'texture'] as Backdrop[]) {
      const { photo, mask } = makeProductPhoto(size, s, b);
      const raw = await cut.matte(photo);
      const none = timed(photo, raw, 'none'), guided = timed(photo, raw, 'guided');
      times.none.push(none.ms);
      times.guided.push(guided.ms);
      const band = edgeBand(mask, size, size, Math.max(2, Math.round(size / 100)));
      const row = { size, none: meanAbs(none.alpha, mask, band), guided: meanAbs(guided.alpha, mask, band) };
      synthRows.push(row);
      console.log(`| ${s} on ${b} | ${size} | ${row.none.toFixed(4)} | ${row.guided.toFixed(4)} | ${meanAbs(none.alpha, mask).toFixed(5)} | ${meanAbs(guided.alpha, mask).toFixed(5)} | ${iou(none.alpha, mask).toFixed(4)} | ${iou(guided.alpha, mask).toFixed(4)} |`);
    }
for (const size of [512, 2048]) {
  const r = synthRows.filter((x) => x.size === size);
  console.log(`synthetic ${size} px: median band error none ${median(r.map((x) => x.none)).toFixed(4)}, guided ${median(r.map((x) => x.guided)).toFixed(4)}; guided better on ${r.filter((x) => x.guided < x.none).length}/${r.length}`);
}

assertCorpusPresent();
const only = process.env.PHOTOS?.split(',');
const pics = new Set((process.env.PICS ?? 'chelsea,astronaut,grace_hopper,baboon').split(','));
const outDir = process.env.OUT;
if (outDir) mkdirSync(outDir, { recursive: true });
console.log('\nCorpus (512 px): undecided alpha and edge agreement (cosine |∇alpha|·|∇photo| on the soft/step band)');
console.log('| photo | undecided none | undecided guided | agreement none | agreement guided |');
console.log('|---|---|---|---|---|');
const rows: { und: [number, number]; agr: [number, number] }[] = [];
for (const p of corpusPhotos()) {
  const stem = p.file.replace(/\.[a-z]+$/, '');
  if (only && !only.includes(stem)) continue;
  const { photo } = await loadCorpusPhoto(p);
  const raw = await cut.matte(photo);
  const none = timed(photo, raw, 'none'), guided = timed(photo, raw, 'guided');
  times.none.push(none.ms);
  times.guided.push(guided.ms);
  const r = Math.max(2, Math.round(Math.max(photo.width, photo.height) / 100));
  const a = edgeBand(none.alpha, photo.width, photo.height, r), b = edgeBand(guided.alpha, photo.width, photo.height, r);
  const take = a.map((v, i) => v | b[i]!);
  const row = { und: [undecidedFraction(none.alpha), undecidedFraction(guided.alpha)] as [number, number], agr: [edgeAgreement(photo, none.alpha, take), edgeAgreement(photo, guided.alpha, take)] as [number, number] };
  rows.push(row);
  console.log(`| ${p.file} | ${(row.und[0] * 100).toFixed(2)} % | ${(row.und[1] * 100).toFixed(2)} % | ${row.agr[0].toFixed(3)} | ${row.agr[1].toFixed(3)} |`);
  if (outDir && pics.has(stem)) {
    await sharp(await checkerCutout(photo, none.alpha)).toFile(join(outDir, `${stem}-none.png`));
    await sharp(await checkerCutout(photo, guided.alpha)).toFile(join(outDir, `${stem}-guided.png`));
  }
}
const col = (f: (r: (typeof rows)[number]) => number) => median(rows.map(f));
console.log(`corpus: median undecided none ${(col((r) => r.und[0]) * 100).toFixed(2)} %, guided ${(col((r) => r.und[1]) * 100).toFixed(2)} % (max ${(Math.max(...rows.map((r) => r.und[0])) * 100).toFixed(2)} % / ${(Math.max(...rows.map((r) => r.und[1])) * 100).toFixed(2)} %); median agreement none ${col((r) => r.agr[0]).toFixed(3)}, guided ${col((r) => r.agr[1]).toFixed(3)}; guided agrees better on ${rows.filter((r) => r.agr[1] > r.agr[0]).length}/${rows.length}`);
console.log(`clean-up time, median ms: none ${median(times.none).toFixed(1)}, guided ${median(times.guided).toFixed(1)}; load: ${execFileSync('uptime').toString().trim()}`);
