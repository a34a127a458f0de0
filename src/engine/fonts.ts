import { eachGrapheme } from './layout/segment.js';

/**
 * Which font files draw a font choice, for hosts that load files on demand
 * (the browser). A family is registered under one alias per Unicode subset
 * (`Inter`, `Inter [latin-ext]`, …) because a font collection matches one face
 * per family name; each alias lists the faces it ships.
 */
export interface FontFaceFile {
  weight: number;
  style: 'normal' | 'italic';
  /** Where the host fetches it from (a URL path for the browser). */
  file: string;
}

export interface FontAlias {
  alias: string;
  faces: FontFaceFile[];
  /**
   * The characters its files can have, as a CSS unicode-range (`U+0000-00FF,U+0131`); absent: any.
   * A host that loads files on demand loads a face only when the text to draw has one of them.
   */
  unicodeRange?: string;
}

/** A shipped family: its aliases in subset order, as the CSS family list names them. */
export interface ShippedFamily {
  family: string;
  aliases: FontAlias[];
}

/** CSS font matching: exact, then for ≤ 500 lighter first, for > 500 heavier first. */
export function closestWeight(available: number[], wanted: number): number {
  const sorted = [...new Set(available)].sort((a, b) => a - b);
  if (sorted.includes(wanted)) return wanted;
  const lighter = sorted.filter((w) => w < wanted).reverse();
  const heavier = sorted.filter((w) => w > wanted);
  const order = wanted <= 500 ? [...lighter, ...heavier] : [...heavier, ...lighter];
  return order[0] ?? wanted;
}

/**
 * The face of each alias that draws `weight`/`style`: the nearest weight, and an
 * italic falls back to the upright face (synthesized oblique, as browsers do) —
 * the same choice src/node/fonts.ts makes from the package folders.
 */
export function facesForChoice(family: ShippedFamily, weight: number, style: 'normal' | 'italic'): Array<FontFaceFile & { alias: string }> {
  const out: Array<FontFaceFile & { alias: string }> = [];
  for (const { alias, faces } of family.aliases) {
    let st = style;
    let candidates = faces.filter((f) => f.style === st);
    if (!candidates.length && st === 'italic') {
      st = 'normal';
      candidates = faces.filter((f) => f.style === st);
    }
    if (!candidates.length) continue;
    const w = closestWeight(candidates.map((f) => f.weight), weight);
    const face = candidates.find((f) => f.weight === w)!;
    out.push({ ...face, alias });
  }
  return out;
}

/** A CSS unicode-range value as inclusive code point intervals; null when it cannot be read (then: any character). */
export function parseUnicodeRange(range: string): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (const part of range.split(',')) {
    const m = /^\s*U\+([0-9A-F?]{1,6})(?:-([0-9A-F]{1,6}))?\s*$/i.exec(part);
    if (!m) return null;
    const [lo, hi] = m[1]!.includes('?') ? [m[1]!.replace(/\?/g, '0'), m[1]!.replace(/\?/g, 'F')] : [m[1]!, m[2] ?? m[1]!];
    out.push([parseInt(lo, 16), parseInt(hi, 16)]);
  }
  return out;
}


/** Whitespace, joiners, variation selectors, tags and the keycap mark: they shape with their neighbours and need no glyph of their own. */
export function shapesWithNeighbours(cp: number): boolean {
  return cp < 0x21 || /\s/u.test(String.fromCodePoint(cp)) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0020 && cp <= 0xe007f) || cp === 0x20e3;
}

/**
 * The distinct grapheme clusters of `text` in NFC (as layout draws it), each as the code points that need a
 * glyph. A canvas shapes a cluster (a letter with its combining marks) with one font file: the first of the
 * chain that has every one of them, or else a system font. Hosts decide with these which file to load.
 */
export function glyphClusters(text: string): number[][] {
  // layout/segment.ts: one shared segmenter, a fast path for text without combining sequences, long text in windows.
  const segments = new Set(eachGrapheme(text.normalize('NFC')));
  return [...segments].map((cluster) => [...cluster].map((ch) => ch.codePointAt(0)!).filter((cp) => !shapesWithNeighbours(cp))).filter((cps) => cps.length > 0);
}
