import { describe, expect, it } from 'vitest';
import { brandContrast, contrastRatio, formatRatio, over, parseHex, relativeLuminance, toHex6 } from '../../web/src/brands/contrast.js';

/** The brand kit editor's WCAG 2.x contrast (web/src/brands/contrast.ts), checked against WCAG's own figures. */
const hex = (h: string) => parseHex(h)!;

describe('WCAG 2.x contrast', () => {
  it('parses every hex spelling a brand document allows', () => {
    expect(parseHex('#fff')).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(parseHex('#0008')).toEqual({ r: 0, g: 0, b: 0, a: 0x88 / 255 });
    expect(parseHex('#1A2b3C')).toEqual({ r: 0x1a, g: 0x2b, b: 0x3c, a: 1 });
    expect(parseHex('#11223380')?.a).toBeCloseTo(128 / 255, 6);
    expect(parseHex('red')).toBeNull();
    expect(parseHex('#12345')).toBeNull();
    expect(toHex6(hex('#AbC'))).toBe('#aabbcc');
  });

  it('luminance is 0 for black and 1 for white, with sRGB linearisation', () => {
    expect(relativeLuminance(hex('#000'))).toBe(0);
    expect(relativeLuminance(hex('#fff'))).toBeCloseTo(1, 10);
    // #808080: channel 128/255 = 0.50196 → ((0.50196 + 0.055) / 1.055)^2.4 = 0.21586
    expect(relativeLuminance(hex('#808080'))).toBeCloseTo(0.21586, 4);
  });

  it('gives the known ratios: 21:1, 1:1, and the AA boundary greys', () => {
    expect(contrastRatio(hex('#000'), hex('#fff'))).toBeCloseTo(21, 10);
    expect(contrastRatio(hex('#fff'), hex('#000'))).toBeCloseTo(21, 10);
    expect(contrastRatio(hex('#4f46e5'), hex('#4f46e5'))).toBe(1);
    // #767676 on white is the lightest grey that passes AA (4.54:1); #777777 fails (4.48:1).
    expect(contrastRatio(hex('#767676'), hex('#fff'))).toBeCloseTo(4.54, 2);
    expect(contrastRatio(hex('#777777'), hex('#fff'))).toBeCloseTo(4.48, 2);
    expect(formatRatio(contrastRatio(hex('#777777'), hex('#fff')))).toBe('4.47:1');
    expect(formatRatio(21)).toBe('21:1');
  });

  it('a translucent text colour is seen over its ground', () => {
    const halfBlack = hex('#00000080');
    expect(over(halfBlack, hex('#fff')).r).toBeCloseTo(127, 0);
    expect(contrastRatio(halfBlack, hex('#fff'))).toBeCloseTo(contrastRatio(hex('#7f7f7f'), hex('#fff')), 1);
  });

  it('checks text on background and on primary, warning below 4.5:1', () => {
    const ok = brandContrast({ text: '#F2F0FF', background: '#0E0B1F', primary: '#3b2a99' });
    expect(ok.map((c) => [c.label, c.warn])).toEqual([['Text on background', false], ['Text on primary', false]]);
    const weak = brandContrast({ text: '#ffffff', background: '#000000', primary: '#8366FF' });
    expect(weak[1]).toMatchObject({ label: 'Text on primary', warn: true, largeOk: true });
    // #8366FF: L = 0.2126·0.2270 + 0.7152·0.1329 + 0.0722·1 = 0.2155; (1 + 0.05) / (0.2155 + 0.05) = 3.955
    expect(weak[1]!.ratio).toBeCloseTo(3.955, 2);
    expect(brandContrast({ text: 'nope', background: '#000', primary: '#fff' })).toEqual([]);
  });
});
