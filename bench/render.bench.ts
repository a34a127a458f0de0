/**
 * Renders every public scene warm (fonts registered, images decoded) and
 * reports, per scene, the median ms split into layout, paint and encode, and
 * scenes/s on one core; then the whole template, and the PNG/JPEG/WebP
 * encoder trade-off on one scene.
 *
 *   npx tsx bench/render.bench.ts [--iterations 15]
 */
import { publicBrand, publicTemplate } from '../src/assets/index.js';
import { Renderer } from '../src/node/render.js';
import type { OutputOptions, RenderRequest } from '../src/node/types.js';

const argIndex = process.argv.indexOf('--iterations');
const ITERATIONS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 15;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (v: number) => v.toFixed(1).padStart(7);

const renderer = new Renderer();
const cases: { label: string; req: RenderRequest }[] = [
  { label: '1061', req: { template: publicTemplate('1061')!, brand: null } },
  { label: '1062/167', req: { template: publicTemplate('1062')!, brand: publicBrand('167')! } },
];

console.log(`render bench | ${ITERATIONS} iterations after 2 warm-up | node ${process.version} | one core (sequential)`);
for (const { label, req } of cases) {
  console.log(`\ntemplate ${label}`);
  console.log('scene                               total  layout   paint  encode   scenes/s    size');
  let templateTotal = 0;
  for (let i = 0; i < req.template.scenes.length; i++) {
    for (let w = 0; w < 2; w++) await renderer.renderScene(req, i);
    const totals: number[] = [];
    const layout: number[] = [];
    const paint: number[] = [];
    const encode: number[] = [];
    let size = 0;
    for (let n = 0; n < ITERATIONS; n++) {
      const t0 = performance.now();
      const scene = await renderer.renderScene(req, i);
      totals.push(performance.now() - t0);
      layout.push(scene.timings.layout);
      paint.push(scene.timings.paint);
      encode.push(scene.timings.encode);
      size = scene.bytes.length;
    }
    const m = median(totals);
    templateTotal += m;
    const name = req.template.scenes[i]!.name.padEnd(32);
    console.log(`${name}${fmt(m)}${fmt(median(layout))}${fmt(median(paint))}${fmt(median(encode))}${(1000 / m).toFixed(1).padStart(11)}${(size / 1024).toFixed(0).padStart(7)} KB`);
  }
  console.log(`all ${req.template.scenes.length} scenes (sum of medians): ${templateTotal.toFixed(1)} ms on one core`);
}

console.log('\nencoders on 1062/167 scene_1 (1080×1080): the fast/small trade-off');
console.log('output                     median ms     size   ratio vs png fast');
const req = cases[1]!.req;
const variants: [string, Partial<OutputOptions>][] = [
  ['png fast (fdeflate)', { format: 'png', pngMode: 'fast' }],
  ['png balanced (zlib 3)', { format: 'png', pngMode: 'balanced' }],
  ['png small (zlib 9)', { format: 'png', pngMode: 'small' }],
  ['jpeg q90 (mozjpeg)', { format: 'jpeg', quality: 90 }],
  ['webp q90', { format: 'webp', quality: 90 }],
  ['jpeg max 150 KB', { format: 'jpeg', maxKb: 150 }],
  ['png 2× fast', { format: 'png', scale: 2 }],
];
let base = 0;
for (const [name, output] of variants) {
  const r = { ...req, output };
  await renderer.renderScene(r, 0);
  const times: number[] = [];
  let size = 0;
  for (let n = 0; n < ITERATIONS; n++) {
    const t0 = performance.now();
    size = (await renderer.renderScene(r, 0)).bytes.length;
    times.push(performance.now() - t0);
  }
  const m = median(times);
  if (!base) base = m;
  console.log(`${name.padEnd(26)}${fmt(m)}${(size / 1024).toFixed(0).padStart(9)} KB${(m / base).toFixed(2).padStart(10)}x`);
}
