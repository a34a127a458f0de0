/**
 * SVG rasterising with and without the host's system fonts (issue 9, item 1: resvg loads no system fonts;
 * SVG text is set in a shipped font). Peers measured in the same run: resvg's default (system fonts loaded
 * on every construction) against what ImageLoader does now. Prints medians and ratios; not a test.
 *
 *   npx tsx bench/svg-fonts.bench.ts
 */
import { readFileSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { facesFor } from '../src/node/fonts.js';

const RUNS = 25;
const logo = readFileSync(new URL('../src/assets/brands/167/logo-on-light.svg', import.meta.url), 'utf8');
const text = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><text x="4" y="40" font-size="30">Logo</text></svg>';
const fontFiles = [400, 700].flatMap((w) => facesFor('Noto Sans SC', w, 'normal').map((f) => f.path));

function median(render: () => void): number {
  render(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    render();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

const raster = (svg: string, options: ResvgRenderOptions) => () => void new Resvg(svg, { ...options, fitTo: { mode: 'width', value: 400 } }).render().asPng();

const rows: Array<[string, number, number]> = [
  ['brand logo (no text)', median(raster(logo, {})), median(raster(logo, { font: { loadSystemFonts: false } }))],
  ['SVG with text', median(raster(text, {})), median(raster(text, { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Noto Sans SC' } }))],
];
console.log(`median of ${RUNS} rasterisations at 400 px wide`);
console.log('svg                      system fonts (resvg default)   Adsmith now   now/default');
for (const [name, before, now] of rows) console.log(`${name.padEnd(24)} ${before.toFixed(2).padStart(10)} ms ${now.toFixed(2).padStart(20)} ms ${(now / before).toFixed(2).padStart(12)}×`);
