import { readFileSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import type { Context2D } from '../../src/engine/canvas.js';
import { layoutText } from '../../src/engine/layout/text.js';
import { parseTemplate } from '../../src/engine/model/validate.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import { cjkPreference, COMPLETE_NOTO_SANS, fallbackFamilies, NOTO_SANS_MATH } from '../../src/engine/plan/fallback.js';
import type { FontChoice, TextLayerPlan } from '../../src/engine/plan/types.js';
import { missingGlyphsWarning } from '../../src/engine/render.js';
import { aliasesOf, BUNDLED_FAMILIES, facesFor, FontLibrary, formatFamilyList } from '../../src/node/fonts.js';

/** One line of real text per script the product covers; decomposed marks are written out as escapes. */
export const SCRIPT_SAMPLES: Record<string, string> = {
  korean: '여름 세일 전 상품 50% 할인',
  thai: 'ลดราคาฤดูร้อน สินค้าทุกชิ้น',
  devanagari: 'गर्मियों की सेल सभी उत्पादों पर छूट',
  bengali: 'গ্রীষ্মের সেল সব পণ্যে ছাড়',
  tamil: 'கோடை விற்பனை அனைத்து பொருட்களும்',
  greek: 'Καλοκαιρινές εκπτώσεις σε όλα',
  cyrillic: 'Летняя распродажа на все товары',
  arabic: 'تخفيضات الصيف على جميع المنتجات',
  hebrew: 'מבצע קיץ על כל המוצרים',
  japanese: '夏のセール 全品半額 直 骨 角',
  traditionalChinese: '夏季大促銷 全場商品五折 直 骨 角',
  simplifiedChinese: '夏季大促销 全场商品五折 直 骨 角',
  decomposedLatin: 'Cafe\u0301 na\u0308ive u\u0308ber',
  vietnameseStacked: 'Tie\u0302\u0301ng Vie\u0323\u0302t ca\u0300 phe\u0302',
  cyrillicStress: 'мо\u0301локо',
  // Letters with marks that have no precomposed form, which no Fontsource subset has with the letter: x̂ q̃ ω̈,
  // IPA ɛ̃́ and ŋ̊, e with a macron-acute (U+1DC4), Cyrillic и̂. The complete Noto Sans draws each whole.
  marksWithoutPrecomposedForm: 'x\u0302 q\u0303 \u03C9\u0308 \u025B\u0303\u0301 \u014B\u030A e\u1DC4 \u0438\u0302',
};

const library = new FontLibrary();
const choice = (family: string, locale?: string): FontChoice => ({ families: [family, ...fallbackFamilies(locale).filter((f) => f !== family)], weight: 400, style: 'normal' });

const parsedFiles = new Map<string, fontkit.Font>();
function parsed(path: string): fontkit.Font {
  let f = parsedFiles.get(path);
  if (!f) parsedFiles.set(path, (f = fontkit.create(readFileSync(path)) as fontkit.Font));
  return f;
}

/** The first alias of the chain whose file has every code point of `cluster` (what Skia shapes the cluster with). */
function firstCoveringAlias(cluster: string, font: FontChoice): string | null {
  const cps = [...cluster].map((c) => c.codePointAt(0)!).filter((cp) => cp > 0x20 && !(cp >= 0x200b && cp <= 0x200f));
  for (const family of font.families) {
    for (const face of facesFor(family, font.weight, font.style)) {
      const f = parsed(face.path);
      if (cps.every((cp) => f.hasGlyphForCodePoint(cp))) return face.alias;
    }
  }
  return null;
}

/** RGBA of `text` drawn at 40 px with a CSS family list. */
function draw(text: string, families: string, direction: 'ltr' | 'rtl' = 'ltr'): Uint8ClampedArray {
  const canvas = createCanvas(220, 80);
  const ctx = canvas.getContext('2d');
  ctx.font = `400 40px ${families}`;
  ctx.direction = direction;
  ctx.fillStyle = '#000';
  ctx.fillText(text, 20, 56);
  return ctx.getImageData(0, 0, 220, 80).data;
}
const shippedAliases = () => Object.keys(BUNDLED_FAMILIES).flatMap(aliasesOf);
/** Fonts Skia found on this machine (DejaVu, Liberation…): every family it lists that Adsmith did not register. */
const systemFamilies = () => GlobalFonts.families.map((f) => f.family).filter((f) => !shippedAliases().includes(f) && !/^Noto Sans (SC|TC|JP|KR)\b/.test(f));
const inked = (px: Uint8ClampedArray) => px.reduce((n, v, i) => n + (i % 4 === 3 && v > 16 ? 1 : 0), 0);
const differing = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);

describe('scripts the shipped fonts draw', () => {
  // First: nothing else in this file has registered fonts yet (each test file runs in its own process).
  it('registers a script or CJK file only when a text needs it', () => {
    const lazy = new FontLibrary();
    lazy.ensure(choice('Inter'), 'Summer sale Hg…');
    for (const family of ['Noto Sans Thai', 'Noto Sans KR', 'Noto Sans JP', 'Noto Sans TC', 'Noto Sans SC', 'Noto Sans Devanagari', 'Noto Color Emoji']) {
      expect(GlobalFonts.has(family), family).toBe(false);
    }
    expect(GlobalFonts.has('Inter')).toBe(true);
    lazy.ensure(choice('Inter'), SCRIPT_SAMPLES['thai']!);
    expect(GlobalFonts.has('Noto Sans Thai')).toBe(true);
    expect(GlobalFonts.has('Noto Sans KR')).toBe(false);
    // x with an enclosing circle (U+20DD) is whole first in Noto Sans SC, though the text has no CJK character:
    // that file is registered, and it draws the cluster (no system font).
    expect(GlobalFonts.has('Noto Sans SC')).toBe(false);
    lazy.ensure(choice('Inter'), 'Step x\u20DD');
    expect(GlobalFonts.has('Noto Sans SC')).toBe(true);
    expect(GlobalFonts.has('Noto Sans KR')).toBe(false);
    const circled = draw('x\u20DD', formatFamilyList(choice('Inter').families));
    expect(inked(circled)).toBeGreaterThan(0);
    expect(differing(circled, draw('x\u20DD', '"Noto Sans SC"'))).toBe(0);
    lazy.ensure(choice('Inter'), SCRIPT_SAMPLES['korean']!);
    expect(GlobalFonts.has('Noto Sans KR')).toBe(true);
    // The complete Noto Sans: not for marks a subset has with their letter (é, Vietnamese, Cyrillic о́), only for x̂.
    for (const script of ['decomposedLatin', 'vietnameseStacked', 'cyrillicStress', 'greek', 'devanagari']) lazy.ensure(choice('Inter'), SCRIPT_SAMPLES[script]!);
    expect(GlobalFonts.has(COMPLETE_NOTO_SANS)).toBe(false);
    lazy.ensure(choice('Inter'), 'Summer x\u0302');
    expect(GlobalFonts.has(COMPLETE_NOTO_SANS)).toBe(true);
    // Noto Sans Math has Latin letters: registered for a symbol mark it draws (x⃗), not for Latin text.
    expect(GlobalFonts.has(NOTO_SANS_MATH)).toBe(false);
    lazy.ensure(choice('Inter'), 'Vector x\u20D7');
    expect(GlobalFonts.has(NOTO_SANS_MATH)).toBe(true);
  });

  for (const family of ['Inter', 'Playfair Display', 'Bebas Neue', 'Lato']) {
    it(`every sample is covered by the chain after ${family}, cluster by cluster`, () => {
      for (const [script, text] of Object.entries(SCRIPT_SAMPLES)) expect(library.uncovered(text, choice(family)), `${script} after ${family}`).toEqual([]);
    });
  }

  it('a letter with marks no subset has with it is covered by the complete Noto Sans; a cluster no file has whole is reported as the cluster, an unknown character as itself', () => {
    // ω + combining diaeresis and x + combining circumflex (no precomposed forms): no subset has the letter
    // with its mark, the complete Noto Sans has both. U+10000 (Linear B) is in no file; Thai ก with a
    // circumflex is in the chain (Noto Sans Thai, the complete Noto Sans) but never in one file.
    expect(library.uncovered('\u03C9\u0308 ok \u{10000} x\u0302 \u0E01\u0302', choice('Inter'))).toEqual(['\u{10000}', '\u0E01\u0302']);
    expect(firstCoveringAlias('x\u0302', choice('Inter'))).toBe(COMPLETE_NOTO_SANS);
    expect(firstCoveringAlias('\u03C9\u0308', choice('Inter', 'ja'))).toBe(COMPLETE_NOTO_SANS);
    // Without it (and Noto Sans Math, last in the chain, which has x̂ too), the shipped chain has no file with x
    // and U+0302 together: the cluster is reported.
    const withoutComplete: FontChoice = { ...choice('Inter'), families: choice('Inter').families.filter((f) => f !== COMPLETE_NOTO_SANS && f !== NOTO_SANS_MATH) };
    expect(library.uncovered('x\u0302', withoutComplete)).toEqual(['\u0302']);
  });

  it('the complete Noto Sans has every combining mark of U+0300-036F and U+1DC0-1DFF (but U+1DFA), in every weight and style', () => {
    for (const style of ['normal', 'italic'] as const) {
      for (let weight = 300; weight <= 900; weight += 100) {
        const [face] = facesFor(COMPLETE_NOTO_SANS, weight, style);
        expect(face?.style, `${weight} ${style}`).toBe(style);
        const font = parsed(face!.path);
        const lacking = [];
        for (let cp = 0x300; cp <= 0x36f; cp++) if (!font.hasGlyphForCodePoint(cp)) lacking.push(cp);
        for (let cp = 0x1dc0; cp <= 0x1dff; cp++) if (!font.hasGlyphForCodePoint(cp)) lacking.push(cp);
        expect(lacking, `${weight} ${style}`).toEqual([0x1dfa]);
      }
    }
  });

  it('combining marks for symbols (U+20D0-20F0) and extended (U+1AB0-1ACE) on a letter are drawn by a shipped file, the few no shipped file has are reported', () => {
    const font = choice('Inter');
    const chain = formatFamilyList(font.families);
    // In no shipped file with a letter: U+20E0 and U+20E2 (enclosing circle backslash, screen) are only in Noto
    // Sans Symbols, whose Fontsource files keep them apart from letters; U+1AC1-1AC4 and U+1AC6 (parentheses and
    // number sign above/below) in no npm font found. U+20E3 (keycap) needs no glyph of its own (glyphClusters):
    // the emoji font draws it with a digit, # or *, checked below.
    const unshipped = [0x20e0, 0x20e2, 0x1ac1, 0x1ac2, 0x1ac3, 0x1ac4, 0x1ac6];
    const drawnBy = new Map<string, number>();
    for (const [lo, hi] of [[0x20d0, 0x20f0], [0x1ab0, 0x1ace]] as Array<[number, number]>) {
      for (let cp = lo; cp <= hi; cp++) {
        if (cp === 0x20e3) continue;
        const cluster = `x${String.fromCodePoint(cp)}`;
        const name = `U+${cp.toString(16).toUpperCase()}`;
        if (unshipped.includes(cp)) {
          expect(library.uncovered(cluster, font), name).toEqual([String.fromCodePoint(cp)]);
          continue;
        }
        expect(library.uncovered(cluster, font), name).toEqual([]);
        const alias = firstCoveringAlias(cluster, font);
        expect(alias, name).not.toBeNull();
        drawnBy.set(alias!, (drawnBy.get(alias!) ?? 0) + 1);
        library.ensure(font, cluster);
        const withChain = draw(cluster, chain);
        expect(inked(withChain), name).toBeGreaterThan(0);
        const alone = draw(cluster, `"${alias}"`);
        if (differing(withChain, alone) !== 0) {
          const same = (family: string) => differing(withChain, draw(cluster, `"${family}"`)) === 0;
          expect(systemFamilies().filter(same), `${name} drawn by a system font`).toEqual([]);
          expect(shippedAliases().some(same), `${name}: coverage names ${alias}, drawn by no shipped family alone`).toBe(true);
        }
      }
    }
    // Each cluster goes to the first file of the chain that has it whole: Noto Sans SC has x with U+20DD and U+20DE,
    // the complete Noto Sans U+20F0 and the 26 marks of U+1AB0-1ACE it has; Noto Sans Math the other 27.
    expect(Object.fromEntries(drawnBy)).toEqual({ [NOTO_SANS_MATH]: 27, [COMPLETE_NOTO_SANS]: 27, 'Noto Sans SC': 2 });
    // Keycaps stay colour emoji; and without Noto Sans Math the vector arrow would be reported (the check can fail).
    expect(firstCoveringAlias('1\u20E3', font)).toBe('Noto Color Emoji');
    const withoutMath: FontChoice = { ...font, families: font.families.filter((f) => f !== NOTO_SANS_MATH) };
    expect(library.uncovered('x\u20D7', withoutMath)).toEqual(['\u20D7']);
  });

  it('no system font draws: every cluster of every sample is drawn exactly as the shipped file coverage names draws it alone', () => {
    const font = choice('Inter');
    library.ensure(font);
    const chain = formatFamilyList(font.families);
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    let clusters = 0;
    for (const [script, text] of Object.entries(SCRIPT_SAMPLES)) {
      for (const { segment } of segmenter.segment(text.normalize('NFC'))) {
        if (!segment.trim()) continue;
        const alias = firstCoveringAlias(segment, font);
        expect(alias, `${script} ${JSON.stringify(segment)}`).not.toBeNull();
        const direction = script === 'arabic' || script === 'hebrew' ? 'rtl' : 'ltr';
        const withChain = draw(segment, chain, direction);
        expect(inked(withChain), `${script} ${JSON.stringify(segment)} drew something`).toBeGreaterThan(0);
        // Drawn as the file coverage names draws it alone, or at least as one shipped family draws it and as no system family does.
        if (differing(withChain, draw(segment, `"${alias}"`, direction)) !== 0) {
          const same = (family: string) => differing(withChain, draw(segment, `"${family}"`, direction)) === 0;
          const system = systemFamilies().filter(same);
          expect(system, `${script} ${JSON.stringify(segment)} drawn by a system font`).toEqual([]);
          expect(shippedAliases().some(same), `${script} ${JSON.stringify(segment)}: coverage names ${alias}, drawn by no shipped family alone`).toBe(true);
        }
        clusters++;
      }
    }
    expect(clusters).toBeGreaterThan(150);
    // The check can fail: this machine has system fonts, and the same cluster drawn by one of them differs.
    expect(systemFamilies().length).toBeGreaterThan(0);
    for (const family of systemFamilies()) {
      expect(differing(draw('é', chain), draw('é', `"${family}"`)), family).toBeGreaterThan(50);
      expect(differing(draw('x\u0302', chain), draw('x\u0302', `"${family}"`)), `x\u0302 in ${family}`).toBeGreaterThan(50);
    }
    // And it catches a system font at work: the white chess king (U+2654) is in no shipped file, and the chain
    // draws it as a system family does.
    expect(library.uncovered('\u2654', font)).toEqual(['\u2654']);
    const bySystem = draw('\u2654', chain);
    expect(inked(bySystem)).toBeGreaterThan(0);
    expect(systemFamilies().filter((family) => differing(bySystem, draw('\u2654', `"${family}"`)) === 0)).not.toEqual([]);
  });

  it('Han characters take Japanese forms for ja, Traditional for zh-Hant / zh-TW / zh-HK, Simplified by default', () => {
    expect(cjkPreference('ja-JP')).toBe('ja');
    expect(cjkPreference('zh-TW')).toBe('zh-Hant');
    expect(cjkPreference('zh-Hant-CN')).toBe('zh-Hant');
    expect(cjkPreference('zh_HK')).toBe('zh-Hant');
    expect(cjkPreference('zh')).toBe('zh-Hans');
    expect(cjkPreference('ko')).toBe('ko');
    expect(cjkPreference('en')).toBe('default');
    expect(fallbackFamilies().indexOf('Noto Sans SC')).toBeLessThan(fallbackFamilies().indexOf('Noto Sans JP'));
    const han = '直骨角';
    const drawn = (locale?: string) => {
      const font = choice('Inter', locale);
      library.ensure(font);
      return draw(han, formatFamilyList(font.families));
    };
    const ja = drawn('ja');
    const zh = drawn();
    const tw = drawn('zh-TW');
    library.ensure(choice('Noto Sans JP'));
    library.ensure(choice('Noto Sans SC'));
    library.ensure(choice('Noto Sans TC'));
    expect(differing(ja, draw(han, formatFamilyList(['Noto Sans JP'])))).toBe(0);
    expect(differing(zh, draw(han, '"Noto Sans SC"'))).toBe(0);
    expect(differing(tw, draw(han, formatFamilyList(['Noto Sans TC'])))).toBe(0);
    expect(differing(ja, zh)).toBeGreaterThan(100);
    expect(differing(tw, zh)).toBeGreaterThan(100);
  });

  it('a locale on the element or on the request entry orders the CJK fonts of the plan', () => {
    const template = parseTemplate({
      schema_version: 1, id: 'loc', name: 'loc', description: '', requires_brand: false,
      scenes: [{ name: 's', width: 400, height: 200, background: { type: 'color', color: '#FFFFFF' }, elements: [
        { id: 'h', layer_type: 'text', content_type: 'Heading #1', content: '直', box: { x: 0, y: 0, width: 400, height: 100 }, style: { font_family: 'Inter', font_size: { max: 40, min: 10 }, color: '#000000', locale: 'ja' } },
        { id: 'b', layer_type: 'text', content_type: 'Body #1', content: '直', box: { x: 0, y: 100, width: 400, height: 100 }, style: { font_family: 'Inter', font_size: { max: 40, min: 10 }, color: '#000000' } },
      ] }],
    });
    const families = (elements?: Parameters<typeof buildPlans>[0]['elements']) =>
      buildPlans({ template, brand: null, ...(elements ? { elements } : {}) })[0]!.layers.map((l) => (l as TextLayerPlan).font.families.find((f) => /Noto Sans (SC|TC|JP|KR)/.test(f)));
    expect(families()).toEqual(['Noto Sans JP', 'Noto Sans SC']);
    expect(families([{ content_type: 'Body #1', content: '直', locale: 'zh-Hant' }])).toEqual(['Noto Sans JP', 'Noto Sans TC']);
    expect(families([{ id: 'h', content: '直', locale: 'ko' }])).toEqual(['Noto Sans KR', 'Noto Sans SC']);
    expect(() => buildPlans({ template, brand: null, elements: [{ id: 'h', content: 'x', locale: 'not a tag!' }] })).toThrow(/elements\[0\]\.locale.*BCP 47/);
  });

  it('the missing-glyph warning counts them and names every one', () => {
    const missing = Array.from({ length: 12 }, (_, i) => String.fromCodePoint(0x10000 + i));
    const warning = missingGlyphsWarning('scene_1', 'headline', missing);
    expect(warning).toContain('12 characters');
    for (let i = 0; i < 12; i++) expect(warning).toContain(`U+${(0x10000 + i).toString(16).toUpperCase()}`);
    expect(missingGlyphsWarning('scene_1', 'h', ['x\u0302'])).toContain('x\u0302 (U+0078 U+0302)');
  });

  it('align start and end follow each paragraph\'s direction', () => {
    const ctx = createCanvas(10, 10).getContext('2d') as unknown as Context2D;
    const plan = (text: string, align: TextLayerPlan['align']): TextLayerPlan => ({
      id: 't', kind: 'text', contentType: null, text, box: { x: 0, y: 0, width: 600, height: 80, rotation: 0, opacity: 1 },
      font: choice('Inter'), size: { max: 28, min: 28 }, lineHeight: 1.2, letterSpacing: 0, align, verticalAlign: 'top', transform: 'none', maxLines: null, color: '#000', direction: 'auto',
    });
    library.ensure(choice('Inter'));
    for (const text of [SCRIPT_SAMPLES['arabic']!, SCRIPT_SAMPLES['hebrew']!]) {
      const start = layoutText(ctx, plan(text, 'start'), formatFamilyList).lines[0]!;
      expect(start.inkRight, `${text} start ends at the right edge`).toBeGreaterThan(596);
      expect(start.inkLeft).toBeGreaterThan(100);
      const end = layoutText(ctx, plan(text, 'end'), formatFamilyList).lines[0]!;
      expect(end.inkLeft, `${text} end starts at the left edge`).toBeLessThan(4);
    }
    const latin = layoutText(ctx, plan('Summer sale', 'start'), formatFamilyList).lines[0]!;
    expect(latin.inkLeft).toBeLessThan(4);
    // Each paragraph has its own direction: an English line then an Arabic one, both set to the start.
    const mixed = layoutText(ctx, { ...plan(`Summer sale\n${SCRIPT_SAMPLES['arabic']!}\n50%`, 'start'), box: { x: 0, y: 0, width: 600, height: 200, rotation: 0, opacity: 1 } }, formatFamilyList);
    expect(mixed.lines.map((l) => l.direction)).toEqual(['ltr', 'rtl', 'ltr']);
    expect(mixed.lines[0]!.inkLeft).toBeLessThan(4);
    expect(mixed.lines[1]!.inkRight).toBeGreaterThan(596);
    // A paragraph with no strong letter (digits) takes the text's direction.
    expect(mixed.lines[2]!.inkLeft).toBeLessThan(4);
    const ltrForced = layoutText(ctx, { ...plan(`Summer\n${SCRIPT_SAMPLES['hebrew']!}`, 'start'), direction: 'ltr', box: { x: 0, y: 0, width: 600, height: 200, rotation: 0, opacity: 1 } }, formatFamilyList);
    expect(ltrForced.lines.map((l) => l.direction)).toEqual(['ltr', 'ltr']);
  });
});
