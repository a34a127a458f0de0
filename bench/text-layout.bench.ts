/**
 * Text layout cost against the text's length (issue 9: a 100,000-character
 * heading took 29 s and the cost grew faster than the text). Lays out 1061's
 * Instagram headline (470×330 box, 4 lines, 92→44 px) with a real
 * @napi-rs/canvas context, for three kinds of text (words; one endless word,
 * split between graphemes; CJK, broken anywhere) at 1k, 10k, 30k and 100k
 * characters. Prints the median per length and the ratio to the 1k peer of the
 * same kind: linear growth would be 10×, 30×, 100×; the layout stops one line
 * past what can show, so it should stay far below that.
 *
 *   npx tsx bench/text-layout.bench.ts [--iterations 7]
 */
import { createCanvas } from '@napi-rs/canvas';
import { publicTemplate } from '../src/assets/index.js';
import type { Context2D } from '../src/engine/canvas.js';
import { layoutText } from '../src/engine/layout/text.js';
import { buildPlans } from '../src/engine/plan/build.js';
import type { TextLayerPlan } from '../src/engine/plan/types.js';
import { FontLibrary, formatFamilyList } from '../src/node/fonts.js';
import { formatTable, timeIt, type Row } from './lib/stats.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ITERATIONS = arg('--iterations', 7);
const LENGTHS = [1_000, 10_000, 30_000, 100_000];

/** Pseudo-random words, so no line repeats (a repeating text would be served by the measure cache). */
function words(n: number): string {
  let seed = 7;
  let out = '';
  while (out.length < n) {
    seed = (seed * 48271) % 2147483647;
    const length = 2 + (seed % 9);
    for (let i = 0; i < length; i++) out += String.fromCharCode(97 + (((seed >> (i * 2)) + i * 7) % 26));
    out += ' ';
  }
  return out.slice(0, n);
}
const KINDS: Record<string, (n: number) => string> = {
  words,
  'one word': (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join(''),
  cjk: (n) => '夏季大促销，全场商品五折起，仅限本周末，欢迎选购！'.repeat(Math.ceil(n / 25)).slice(0, n),
};

async function main(): Promise<void> {
  const plan = buildPlans({ template: publicTemplate('1061')!, brand: null })[0]!;
  const layer = plan.layers.find((l): l is TextLayerPlan => l.kind === 'text' && l.contentType === 'Heading #1')!;
  new FontLibrary().ensure(layer.font);
  const ctx = createCanvas(16, 16).getContext('2d') as unknown as Context2D;
  console.log(`text-layout bench | 1061 headline ${layer.box.width}×${layer.box.height}, max ${layer.maxLines} lines | ${ITERATIONS} iterations | node ${process.version}`);
  for (const [kind, make] of Object.entries(KINDS)) {
    const rows: Row[] = [];
    for (const n of LENGTHS) {
      const text = make(n);
      // A fresh size context each time: nothing is cached between layouts.
      const { timing, last } = await timeIt(async () => layoutText(ctx, { ...layer, text }, formatFamilyList), { warmup: 1, iterations: ITERATIONS });
      rows.push({ name: `${kind} ${n.toLocaleString('en-US')} chars`, timing, extra: { lines: String(last.lines.length), size: `${last.fontSize}px` } });
    }
    console.log(formatTable(rows));
  }
}

await main();
