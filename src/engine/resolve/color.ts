import type { BrandDocument } from '../model/brand.js';
import type { CssColor } from '../plan/types.js';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  a: number;
}

/** Parse #RGB, #RGBA, #RRGGBB, #RRGGBBAA. */
export function parseHex(hex: string): Rgba {
  let h = hex.replace(/^#/, '');
  if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
}

export function toCss({ r, g, b, a }: Rgba): CssColor {
  return a >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${Number(a.toFixed(4))})`;
}

/** Resolve a template colour (hex, `transparent`, `brand.role`, `brand.role/alpha`) to a CSS colour. */
export function resolveColor(ref: string, brand: BrandDocument | null): CssColor {
  if (ref === 'transparent') return 'rgba(0,0,0,0)';
  if (ref.startsWith('#')) return toCss(parseHex(ref));
  const match = /^brand\.(\w+)(?:\/([\d.]+))?$/.exec(ref);
  const role = match?.[1];
  if (!match || !role) throw new Error(`unresolvable colour ${ref}`);
  if (!brand) throw new Error(`colour ${ref} needs a brand`);
  const value = (brand.colors as Record<string, string>)[role];
  if (!value) throw new Error(`brand has no colour role ${role}`);
  const rgba = parseHex(value);
  const alpha = match[2] === undefined ? 1 : Number(match[2]);
  return toCss({ ...rgba, a: rgba.a * alpha });
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
/** An sRGB channel (0–255, fractional allowed) as linear light. */
function linear(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance({ r, g, b }: Pick<Rgba, 'r' | 'g' | 'b'>): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** linear() of every 8-bit value: pixel loops look values up rather than compute three powers a pixel. */
const LINEAR_8BIT = Float64Array.from({ length: 256 }, (_, c) => linear(c));

/** relativeLuminance of 8-bit channels (pixels read back from a canvas); the same value, from a table. */
export function relativeLuminance8(r: number, g: number, b: number): number {
  return 0.2126 * LINEAR_8BIT[r]! + 0.7152 * LINEAR_8BIT[g]! + 0.0722 * LINEAR_8BIT[b]!;
}

export function contrastRatio(a: number, b: number): number {
  const [hi, lo] = a > b ? [a, b] : [b, a];
  return (hi + 0.05) / (lo + 0.05);
}
