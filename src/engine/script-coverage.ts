/**
 * Which writing systems a font sets, from the code points its cmap maps (no font parsing here: the
 * server reads the cmap, src/node/font-info.ts; the brand kit editor shows the answer). DOM- and Node-free.
 */

/** A writing system and the letters that say whether a font sets it (each script's basic alphabet). */
export interface ScriptSpec {
  script: string;
  ranges: ReadonlyArray<readonly [number, number]>;
}

/**
 * The basic letters of each script, not whole Unicode blocks (which hold rare and archaic characters no
 * brand font has): a font "covers" a script when it has all of them. Han is the 20,902 ideographs of
 * Unicode 1.1's unified block (a Chinese font has them; a Japanese one most), Hangul all 11,172 syllables.
 */
export const SCRIPTS: readonly ScriptSpec[] = [
  { script: 'Latin', ranges: [[0x41, 0x5a], [0x61, 0x7a]] },
  { script: 'Latin accents', ranges: [[0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0xff], [0x152, 0x153], [0x160, 0x161], [0x17d, 0x17e]] },
  { script: 'Vietnamese', ranges: [[0x1ea0, 0x1ef9]] },
  { script: 'Greek', ranges: [[0x391, 0x3a1], [0x3a3, 0x3a9], [0x3b1, 0x3c9]] },
  { script: 'Cyrillic', ranges: [[0x410, 0x44f], [0x401, 0x401], [0x451, 0x451]] },
  { script: 'Armenian', ranges: [[0x531, 0x556], [0x561, 0x586]] },
  { script: 'Hebrew', ranges: [[0x5d0, 0x5ea]] },
  { script: 'Arabic', ranges: [[0x621, 0x63a], [0x641, 0x64a]] },
  { script: 'Devanagari', ranges: [[0x905, 0x939]] },
  { script: 'Bengali', ranges: [[0x985, 0x98c], [0x98f, 0x990], [0x993, 0x9a8], [0x9aa, 0x9b0], [0x9b2, 0x9b2], [0x9b6, 0x9b9]] },
  { script: 'Tamil', ranges: [[0xb85, 0xb8a], [0xb8e, 0xb90], [0xb92, 0xb95], [0xb99, 0xb9a], [0xb9c, 0xb9c], [0xb9e, 0xb9f], [0xba3, 0xba4], [0xba8, 0xbaa], [0xbae, 0xbb9]] },
  { script: 'Thai', ranges: [[0xe01, 0xe2e]] },
  { script: 'Georgian', ranges: [[0x10d0, 0x10f0]] },
  { script: 'Kana', ranges: [[0x3041, 0x3096], [0x30a1, 0x30fa]] },
  { script: 'Han', ranges: [[0x4e00, 0x9fa5]] },
  { script: 'Hangul', ranges: [[0xac00, 0xd7a3]] },
];

export interface ScriptCoverage {
  script: string;
  /** How many of the script's basic letters the font has, of `total`. */
  covered: number;
  total: number;
  /** full: every basic letter; partial: some; none: not one. */
  status: 'full' | 'partial' | 'none';
}

/** Each script's coverage by a set of code points (a font's cmap). */
export function scriptCoverage(codePoints: ReadonlySet<number>): ScriptCoverage[] {
  return SCRIPTS.map(({ script, ranges }) => {
    let covered = 0;
    let total = 0;
    for (const [lo, hi] of ranges) {
      total += hi - lo + 1;
      for (let cp = lo; cp <= hi; cp++) if (codePoints.has(cp)) covered++;
    }
    return { script, covered, total, status: covered === total ? 'full' : covered > 0 ? 'partial' : 'none' };
  });
}

export interface FontInfo {
  /** The family and style names the font gives itself (name table). */
  family: string;
  subfamily: string;
  /** OS/2 weight class rounded to a CSS weight a brand document accepts (100-900). */
  weight: number;
  style: 'normal' | 'italic';
  format: string;
  glyphs: number;
  /** Characters its cmap maps. */
  characters: number;
  scripts: ScriptCoverage[];
}
