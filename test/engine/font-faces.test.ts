import { describe, expect, it } from 'vitest';
import { facesForChoice, parseUnicodeRange } from '../../src/engine/fonts.js';
import { shippedFontFiles, toUnicodeRange } from '../../src/node/font-files.js';
import { facesFor } from '../../src/node/fonts.js';

describe('font faces for the browser host', () => {
  it('the browser picks the same file, alias, weight and style as the Node host for every shipped family, weight and style', () => {
    const { families, paths } = shippedFontFiles();
    let compared = 0;
    for (const family of families) {
      for (let weight = 100; weight <= 900; weight += 100) {
        for (const style of ['normal', 'italic'] as const) {
          const browser = facesForChoice(family, weight, style).map((f) => ({ alias: f.alias, weight: f.weight, style: f.style, path: paths.get(f.file) }));
          expect(browser, `${family.family} ${weight} ${style}`).toEqual(facesFor(family.family, weight, style));
          compared++;
        }
      }
    }
    expect(compared).toBe(23 * 9 * 2); // 23 shipped families (Noto Sans Math the latest), 9 weights, 2 styles
  });

  it('every alias says which characters its files have', () => {
    for (const family of shippedFontFiles().families) {
      for (const alias of family.aliases) {
        const ranges = parseUnicodeRange(alias.unicodeRange ?? '');
        expect(ranges, alias.alias).not.toBeNull();
        expect(ranges!.length, alias.alias).toBeGreaterThan(0);
      }
    }
    const inter = shippedFontFiles().families.find((f) => f.family === 'Inter')!;
    const latin = parseUnicodeRange(inter.aliases[0]!.unicodeRange!)!;
    const has = (cp: number) => latin.some(([lo, hi]) => cp >= lo && cp <= hi);
    expect(has('A'.codePointAt(0)!)).toBe(true);
    expect(has('夏'.codePointAt(0)!)).toBe(false);
  });

  it('the script and CJK families of the chain are served, each alias with its script in its range', () => {
    const byFamily = new Map(shippedFontFiles().families.map((f) => [f.family, f]));
    const has = (family: string, ch: string) =>
      byFamily.get(family)!.aliases.some((a) => parseUnicodeRange(a.unicodeRange!)!.some(([lo, hi]) => ch.codePointAt(0)! >= lo && ch.codePointAt(0)! <= hi));
    const samples: Record<string, string> = {
      'Noto Sans Thai': 'ก',
      'Noto Sans Devanagari': 'क',
      'Noto Sans Bengali': 'ক',
      'Noto Sans Tamil': 'க',
      'Noto Sans KR': '한',
      'Noto Sans JP': 'あ',
      'Noto Sans TC': '銷',
      'Noto Sans': 'Ж',
    };
    for (const [family, ch] of Object.entries(samples)) {
      expect(byFamily.has(family), family).toBe(true);
      expect(has(family, ch), `${family} has ${ch}`).toBe(true);
    }
    expect(has('Noto Sans', 'Ω')).toBe(true);
    expect(has('Noto Sans KR', '直')).toBe(false);
  });

  it('unicode ranges round-trip and read CSS wildcards', () => {
    expect(toUnicodeRange([0x41, 0x42, 0x43, 0x61, 0x1f525])).toBe('U+0041-0043,U+0061,U+1F525');
    expect(parseUnicodeRange('U+0041-0043,U+0061,U+1F525')).toEqual([[0x41, 0x43], [0x61, 0x61], [0x1f525, 0x1f525]]);
    expect(parseUnicodeRange('U+4??')).toEqual([[0x400, 0x4ff]]);
    expect(parseUnicodeRange('latin')).toBeNull();
  });
});
