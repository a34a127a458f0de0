/**
 * expand_image benchmark: a 1024×1024 photo into a 1920×1080 frame (target ≤ 1.5 s),
 * the PatchMatch fill against the earlier reflection method measured in the same run,
 * with the seam measure of each (border step / the photo's natural step; ≤ 1 is
 * seamless by the tests' rule of 1.5× + 1.5 levels). Prints medians and ratios.
 * Run: npx tsx bench/expand.bench.ts   (RUNS=… iterations, default 7)
 */
import { expandImage, type ExpandOptions } from '../src/smart-image/expand.js';
import type { RawImage } from '../src/smart-image/types.js';
import { makeBackdrop, makeProductPhoto } from '../test/fixtures/smart-image/synth.js';
import { seamReport } from '../test/smart-image/helpers/seam.js';
import { makeTexture } from '../test/smart-image/helpers/textures.js';
import { formatTable, timeIt, type Row } from './lib/stats.js';

const iterations = Number(process.env.RUNS ?? 7);
const frame = { width: 1920, height: 1080 };
const rect = { x: 448, y: 28, width: 1024, height: 1024 };

const cases: Array<{ name: string; photo: RawImage; alpha: Uint8Array }> = [
  { name: 'bottle on wood', ...(({ photo, mask }) => ({ photo, alpha: mask }))(makeProductPhoto(1024, 'bottle', 'texture')) },
  { name: 'gradient backdrop', photo: makeBackdrop(1024, 1024, 'gradient'), alpha: new Uint8Array(1024 * 1024) },
  { name: 'bricks', photo: makeTexture(1024, 1024, 'bricks', 11, [40, 8]), alpha: new Uint8Array(1024 * 1024) },
];

function seamRatio(out: RawImage, photo: RawImage): string {
  const r = seamReport(out, photo, rect);
  const limit = (n: number) => n * 1.5 + 1.5;
  return Math.max(r.left / limit(r.natural.col), r.right / limit(r.natural.col), r.bottom / limit(r.natural.row)).toFixed(2);
}

for (const c of cases) {
  const rows: Row[] = [];
  for (const [name, options] of [
    ['reflection (previous)', { method: 'reflect' }],
    ['PatchMatch (default)', {}],
  ] as Array<[string, ExpandOptions]>) {
    const { timing, last } = await timeIt(() => expandImage(c.photo, c.alpha, frame, rect, options), { warmup: 1, iterations });
    rows.push({ name, timing, extra: { 'seam/limit': seamRatio(last, c.photo) } });
  }
  console.log(`\nexpand ${c.name}: 1024² photo → 1920×1080 frame (photo at 1:1, centred), ${iterations} runs`);
  console.log(formatTable(rows, 'reflection (previous)'));
  const pm = rows[1]!.timing.median;
  console.log(`target ≤ 1500 ms: ${pm <= 1500 ? 'met' : 'NOT met'} (median ${Math.round(pm)} ms)`);
}
