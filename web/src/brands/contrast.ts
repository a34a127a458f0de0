/**
 * WCAG 2.x contrast, DOM-free (unit-tested in test/web/brands-contrast.test.ts). The ratio is
 * (L1 + 0.05) / (L2 + 0.05) of the lighter and darker relative luminances, each channel linearised
 * from sRGB as WCAG 2.x defines it; level AA asks 4.5:1 for body text (3:1 for large text).
 */

export interface Rgb {
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  a: number;
}

/** AA for normal-size text. */
export const AA_TEXT = 4.5;
/** AA for large text (24 px, or 18.66 px bold, and above). */
export const AA_LARGE_TEXT = 3;

/** A brand colour (#RGB, #RGBA, #RRGGBB, #RRGGBBAA) as channels; null when it is not one. */
export function parseHex(hex: string): Rgb | null {
  const m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(hex.trim());
  if (!m) return null;
  let h = m[1]!;
  if (h.length <= 4) h = [...h].map((c) => c + c).join('');
  const byte = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), a: h.length === 8 ? byte(6) / 255 : 1 };
}

/** `#rrggbb` of a colour, alpha dropped (what <input type="color"> takes). */
export function toHex6(c: Rgb): string {
  return `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** `top` painted over an opaque `bottom` (straight alpha): what the eye sees. */
export function over(top: Rgb, bottom: Rgb): Rgb {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2.x relative luminance of an opaque colour, 0 (black) to 1 (white). */
export function relativeLuminance(c: Rgb): number {
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

const WHITE: Rgb = { r: 255, g: 255, b: 255, a: 1 };

/**
 * Contrast ratio (1 to 21) of text colour `fg` on ground `bg`. A translucent ground is taken over
 * white (an ad's canvas under it is unknown), a translucent text over that ground.
 */
export function contrastRatio(fg: Rgb, bg: Rgb): number {
  const ground = bg.a < 1 ? over(bg, WHITE) : bg;
  const text = fg.a < 1 ? over(fg, ground) : fg;
  const l1 = relativeLuminance(text);
  const l2 = relativeLuminance(ground);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

export interface ContrastCheck {
  /** e.g. "Text on background". */
  label: string;
  /** The text colour and the ground, as the brand writes them. */
  fg: string;
  bg: string;
  ratio: number;
  /** Below 4.5:1: body text is hard to read. */
  warn: boolean;
  /** At least 3:1: large text (headlines) still passes AA. */
  largeOk: boolean;
}

/** Ratio shown the way people read it: two decimals, trailing zeros dropped ("4.5:1", "21:1"). */
export function formatRatio(ratio: number): string {
  // Truncated, not rounded: 4.499 must not read as a passing "4.5".
  return `${(Math.floor(ratio * 100) / 100).toString()}:1`;
}

/** The pairs a brand's ads set text in: its text colour on its background, and on its primary colour. */
export function brandContrast(colors: { text: string; background: string; primary: string }): ContrastCheck[] {
  const pairs: Array<[string, string, string]> = [
    ['Text on background', colors.text, colors.background],
    ['Text on primary', colors.text, colors.primary],
  ];
  return pairs.flatMap(([label, fg, bg]) => {
    const f = parseHex(fg);
    const b = parseHex(bg);
    if (!f || !b) return [];
    const ratio = contrastRatio(f, b);
    return [{ label, fg, bg, ratio, warn: ratio < AA_TEXT, largeOk: ratio >= AA_LARGE_TEXT }];
  });
}
