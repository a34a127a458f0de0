import { scriptCoverage, type FontInfo } from '../engine/script-coverage.js';
import { parseFont } from './fonts.js';

export type { FontInfo, ScriptCoverage } from '../engine/script-coverage.js';

/**
 * What a font file is and which writing systems it can set, read from its own tables (name, OS/2 and
 * the cmap, through fontkit, which also decompresses WOFF and WOFF2). The brand kit editor shows it
 * beside an uploaded font so a brand does not find out at generate time that its font has no Cyrillic.
 */

/** The font's names, weight, style and script coverage; `problem` when the bytes are not a usable font. */
export function fontInfo(bytes: Uint8Array): FontInfo | { problem: string } {
  const parsed = parseFont(bytes);
  if ('problem' in parsed) return parsed;
  const { font } = parsed;
  const chars = font.characterSet;
  const os2 = (font as unknown as { 'OS/2'?: { usWeightClass?: number; fsSelection?: { italic?: boolean } } })['OS/2'];
  const weightClass = os2?.usWeightClass ?? 400;
  const italic = Boolean(os2?.fsSelection?.italic) || font.italicAngle !== 0 || /italic|oblique/i.test(font.subfamilyName ?? '');
  return {
    family: font.familyName || 'Unnamed font',
    subfamily: font.subfamilyName || 'Regular',
    weight: Math.min(900, Math.max(100, Math.round(weightClass / 100) * 100)),
    style: italic ? 'italic' : 'normal',
    format: (font as unknown as { type?: string }).type ?? 'TTF',
    glyphs: font.numGlyphs,
    characters: chars.length,
    scripts: scriptCoverage(new Set(chars)),
  };
}
