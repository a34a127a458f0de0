import { createCanvas } from '@napi-rs/canvas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import type { Context2D, TextMetricsLike } from '../../src/engine/canvas.js';
import { isOneCharGraphemes } from '../../src/engine/layout/segment.js';
import { layoutText } from '../../src/engine/layout/text.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import type { TextLayerPlan } from '../../src/engine/plan/types.js';
import { FontLibrary, formatFamilyList } from '../../src/node/fonts.js';

/**
 * Issue 9: a 100,000-character heading took 29 s and the cost grew faster than
 * the text. Layout work is counted, not timed, so the bounds hold on a busy
 * machine: every measureText call and every character it shapes goes through a
 * counting wrapper around a real @napi-rs/canvas context, and every string handed
 * to Intl.Segmenter is recorded (V8 walks a segment iterator in time that grows
 * with the whole string at each step: that was most of the 29 s).
 */
const fonts = new FontLibrary();

interface Work {
  calls: number;
  chars: number;
}

function countingContext(work: Work): Context2D {
  const ctx = createCanvas(16, 16).getContext('2d') as unknown as Context2D;
  return new Proxy(ctx, {
    get(target, prop) {
      if (prop === 'measureText') {
        return (text: string): TextMetricsLike => {
          work.calls++;
          work.chars += text.length;
          return target.measureText(text);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
  });
}

/** The headline of 1061's first scene (Instagram post: a 470×330 box, 4 lines, 92→44 px). */
function headline(): TextLayerPlan {
  const plan = buildPlans({ template: publicTemplate('1061')!, brand: null })[0]!;
  const layer = plan.layers.find((l): l is TextLayerPlan => l.kind === 'text' && l.contentType === 'Heading #1');
  if (!layer) throw new Error('1061 scene 1 has no Heading #1');
  fonts.ensure(layer.font);
  return layer;
}

/** Words that never repeat a line (a repeating text would hide full wraps behind the measure cache). */
function words(n: number): string {
  let seed = 7;
  let out = '';
  while (out.length < n) {
    seed = (seed * 48271) % 2147483647;
    const length = 2 + (seed % 9);
    for (let i = 0; i < length; i++) out += String.fromCharCode(97 + ((seed >> (i * 2)) + i * 7) % 26);
    out += ' ';
  }
  return out.slice(0, n);
}
/** Text kinds that wrap differently: words (break at spaces), one endless word (split between graphemes), CJK (break anywhere). */
const KINDS: Record<string, (n: number) => string> = {
  words,
  'one long word': (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join(''),
  cjk: (n) => '夏季大促销，全场商品五折起，仅限本周末，欢迎选购！'.repeat(Math.ceil(n / 25)).slice(0, n),
};

function layoutWork(layer: TextLayerPlan, text: string): { work: Work; lines: string[]; ms: number } {
  const work: Work = { calls: 0, chars: 0 };
  const ctx = countingContext(work);
  const started = performance.now();
  const layout = layoutText(ctx, { ...layer, text }, formatFamilyList);
  return { work, lines: layout.lines.map((l) => l.text), ms: performance.now() - started };
}

describe('text layout cost grows no faster than the text', () => {
  const layer = headline();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const [kind, make] of Object.entries(KINDS)) {
    it(`${kind}: 40k characters cost at most ~4x the work of 10k`, () => {
      const small = layoutWork(layer, make(10_000));
      const large = layoutWork(layer, make(40_000));
      // Linear growth is 4x; allow slack for fixed costs, refuse anything near 16x (quadratic).
      expect(large.work.calls, `measureText calls ${kind}: 10k ${small.work.calls}, 40k ${large.work.calls}`).toBeLessThanOrEqual(Math.max(5 * small.work.calls, 200));
      expect(large.work.chars, `characters measured ${kind}: 10k ${small.work.chars}, 40k ${large.work.chars}`).toBeLessThanOrEqual(Math.max(5 * small.work.chars, 20_000));
      // What shows is the start of the text, ellipsized, in at most max_lines lines: the same for both lengths.
      expect(large.lines).toEqual(small.lines);
      expect(large.lines.at(-1)).toMatch(/…$/);
    });
  }

  it('a 100,000-character heading lays out with bounded work', () => {
    const segmented: number[] = [];
    const segment = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (this: Intl.Segmenter, input: string) {
      segmented.push(input.length);
      return segment.call(this, input);
    });
    const { work, lines, ms } = layoutWork(layer, words(100_000));
    console.log(
      `100k-character heading: ${ms.toFixed(0)} ms, ${work.calls} measureText calls, ${work.chars} characters measured, ` +
        `${segmented.length} segmenter calls of at most ${Math.max(...segmented)} characters`,
    );
    // Before issue 9 every binary-search step wrapped the whole text: ~15,000 line measures per step.
    expect(work.calls).toBeLessThan(2_000);
    // Text is segmented in windows of about 2 KB (a window is widened only for a cluster longer than that).
    expect(segmented.length).toBeGreaterThan(0);
    expect(Math.max(...segmented)).toBeLessThanOrEqual(2048);
    expect(lines.length).toBeLessThanOrEqual(layer.maxLines ?? Infinity);
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('the one-character-per-grapheme shortcut agrees with ICU', () => {
  it('every character it accepts is a grapheme alone next to an ideograph on either side, and next to itself', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const ranges: Array<[number, number]> = [[0x20, 0x7e], [0x3000, 0x9fff], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xff00, 0xffef]];
    const wrong: string[] = [];
    let accepted = 0;
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const c = String.fromCodePoint(cp);
        if (!isOneCharGraphemes(c)) continue;
        accepted++;
        // A break on both sides: c neither joins what precedes (Extend, SpacingMark, ZWJ) nor what follows (Prepend).
        if ([...segmenter.segment(`夏${c}夏`)].length !== 3 || [...segmenter.segment(`a${c}${c}`)].length !== 3) wrong.push(`U+${cp.toString(16).toUpperCase()}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(accepted).toBeGreaterThan(40_000);
    // Combining marks in those ranges are left to ICU.
    for (const mark of ['\u3099', '\u302A', '\uFF9E', 'か\u3099', 'e\u0301']) expect(isOneCharGraphemes(mark), mark).toBe(false);
  });
});
