import { createHash } from 'node:crypto';
import { GlobalFonts } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { closestWeight, glyphClusters, parseUnicodeRange } from '../engine/fonts.js';
import type { FamilyListFormatter } from '../engine/layout/text.js';
import { COMPLETE_NOTO_SANS, NOTO_SANS_MATH } from '../engine/plan/fallback.js';
import type { FontChoice } from '../engine/plan/types.js';

/**
 * The fonts Adsmith ships: open-licence (OFL) families installed as npm
 * packages, so every machine renders with the same files and system fonts are
 * never needed. Fontsource splits a family into Unicode subsets; each subset
 * is registered under its own alias (`Inter`, `Inter [latin-ext]`) because a
 * font collection matches one face per family name, and the CSS family list
 * expands a family into all its subset aliases.
 */
interface FontsourceFamily {
  source: 'fontsource';
  pkg: string;
  subsets: string[];
}
interface FileFamily {
  source: 'files';
  pkg: string;
  /** weight → file path inside the package */
  files: Record<number, string>;
  /** weight → italic file path inside the package (none: italics are the upright face, slanted) */
  italicFiles?: Record<number, string>;
}
type BundledFamily = FontsourceFamily | FileFamily;

const LATIN = ['latin', 'latin-ext'];
const COMPLETE_NOTO_SANS_WEIGHTS = [[300, 'Light'], [400, 'Regular'], [500, 'Medium'], [600, 'SemiBold'], [700, 'Bold'], [800, 'ExtraBold'], [900, 'Black']] as const;

export const BUNDLED_FAMILIES: Record<string, BundledFamily> = {
  Inter: { source: 'fontsource', pkg: '@fontsource/inter', subsets: [...LATIN, 'cyrillic', 'greek', 'vietnamese'] },
  'Playfair Display': { source: 'fontsource', pkg: '@fontsource/playfair-display', subsets: [...LATIN, 'cyrillic', 'vietnamese'] },
  'Bebas Neue': { source: 'fontsource', pkg: '@fontsource/bebas-neue', subsets: LATIN },
  Montserrat: { source: 'fontsource', pkg: '@fontsource/montserrat', subsets: [...LATIN, 'cyrillic', 'vietnamese'] },
  Lato: { source: 'fontsource', pkg: '@fontsource/lato', subsets: LATIN },
  'Space Grotesk': { source: 'fontsource', pkg: '@fontsource/space-grotesk', subsets: [...LATIN, 'vietnamese'] },
  'DM Sans': { source: 'fontsource', pkg: '@fontsource/dm-sans', subsets: LATIN },
  Poppins: { source: 'fontsource', pkg: '@fontsource/poppins', subsets: [...LATIN, 'devanagari'] },
  Oswald: { source: 'fontsource', pkg: '@fontsource/oswald', subsets: [...LATIN, 'cyrillic', 'vietnamese'] },
  'Noto Sans': {
    source: 'fontsource',
    pkg: '@fontsource/noto-sans',
    subsets: [...LATIN, 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese', 'devanagari'],
  },
  'Noto Sans Arabic': { source: 'fontsource', pkg: '@fontsource/noto-sans-arabic', subsets: ['arabic'] },
  'Noto Sans Hebrew': { source: 'fontsource', pkg: '@fontsource/noto-sans-hebrew', subsets: ['hebrew'] },
  // Script families: only the script's own subset (Noto Sans draws their Latin).
  'Noto Sans Thai': { source: 'fontsource', pkg: '@fontsource/noto-sans-thai', subsets: ['thai'] },
  'Noto Sans Devanagari': { source: 'fontsource', pkg: '@fontsource/noto-sans-devanagari', subsets: ['devanagari'] },
  'Noto Sans Bengali': { source: 'fontsource', pkg: '@fontsource/noto-sans-bengali', subsets: ['bengali'] },
  'Noto Sans Tamil': { source: 'fontsource', pkg: '@fontsource/noto-sans-tamil', subsets: ['tamil'] },
  // CJK from Fontsource: its named subset (all Hangul syllables; the common kanji and kana; common Traditional
  // characters) in one file per weight. The ~100 numbered slices beside it are left out; rarer Han characters
  // come from Noto Sans SC, which is complete.
  'Noto Sans KR': { source: 'fontsource', pkg: '@fontsource/noto-sans-kr', subsets: ['korean'] },
  'Noto Sans JP': { source: 'fontsource', pkg: '@fontsource/noto-sans-jp', subsets: ['japanese'] },
  'Noto Sans TC': { source: 'fontsource', pkg: '@fontsource/noto-sans-tc', subsets: ['chinese-traditional'] },
  // Fontsource slices CJK into ~100 files; a full TTF per weight keeps one face per alias.
  'Noto Sans SC': {
    source: 'files',
    pkg: '@expo-google-fonts/noto-sans-sc',
    files: { 300: '300Light/NotoSansSC_300Light.ttf', 400: '400Regular/NotoSansSC_400Regular.ttf', 500: '500Medium/NotoSansSC_500Medium.ttf', 700: '700Bold/NotoSansSC_700Bold.ttf', 900: '900Black/NotoSansSC_900Black.ttf' },
  },
  // The complete Noto Sans (every combining mark), for a letter with marks no subset above has with it. Weights
  // 300-900: the Thin and ExtraLight files both declare weight 250, which a font collection cannot tell apart.
  [COMPLETE_NOTO_SANS]: {
    source: 'files',
    pkg: '@expo-google-fonts/noto-sans',
    files: Object.fromEntries(COMPLETE_NOTO_SANS_WEIGHTS.map(([w, name]) => [w, `${w}${name}/NotoSans_${w}${name}.ttf`])),
    italicFiles: Object.fromEntries(COMPLETE_NOTO_SANS_WEIGHTS.map(([w, name]) => [w, `${w}${name}_Italic/NotoSans_${w}${name}_Italic.ttf`])),
  },
  'Noto Color Emoji': { source: 'fontsource', pkg: '@fontsource/noto-color-emoji', subsets: ['emoji'] },
  // The combining marks for symbols (U+20D0–20F0) with the letters they sit on; weight 400 only. Fontsource calls
  // its one file the "latin" subset, but the file is the whole font (≈ 3000 characters).
  [NOTO_SANS_MATH]: { source: 'fontsource', pkg: '@fontsource/noto-sans-math', subsets: ['latin'] },
};

/**
 * Families registered only when they draw a cluster of the text (see FontLibrary.drawsACluster): they have
 * Latin letters, so "the text has a character of the file's range" would register them for every text.
 */
const CLUSTER_FALLBACKS: ReadonlySet<string> = new Set([COMPLETE_NOTO_SANS, NOTO_SANS_MATH]);

const COMBINING_MARK = /\p{M}/u;

const require = createRequire(import.meta.url);
const packageDirs = new Map<string, string>();
function packageDir(pkg: string): string {
  let dir = packageDirs.get(pkg);
  if (!dir) {
    dir = dirname(require.resolve(`${pkg}/package.json`));
    packageDirs.set(pkg, dir);
  }
  return dir;
}

export interface FaceFile {
  alias: string;
  weight: number;
  style: 'normal' | 'italic';
  path: string;
}

function aliasFor(family: string, subsetIndex: number, subset: string): string {
  return subsetIndex === 0 ? family : `${family} [${subset}]`;
}

const woff2Listings = new Map<string, string[]>();
/** A package's WOFF2 files, listed once per process (installed packages do not change while it runs). */
function woff2Files(dir: string): string[] {
  let files = woff2Listings.get(dir);
  if (!files) {
    files = readdirSync(join(dir, 'files')).filter((f) => f.endsWith('.woff2'));
    woff2Listings.set(dir, files);
  }
  return files;
}

const facesMemo = new Map<string, FaceFile[]>();

/**
 * The files of a bundled family at the weight closest to the one asked for (CSS font-matching order).
 * Memoised: every text of every render asks, and the answer depends only on the shipped packages.
 */
export function facesFor(family: string, weight: number, style: 'normal' | 'italic'): FaceFile[] {
  const key = `${family}\u0000${weight}\u0000${style}`;
  let faces = facesMemo.get(key);
  if (!faces) {
    faces = findFaces(family, weight, style);
    facesMemo.set(key, faces);
  }
  return faces;
}

function findFaces(family: string, weight: number, style: 'normal' | 'italic'): FaceFile[] {
  const spec = BUNDLED_FAMILIES[family];
  if (!spec) return [];
  const dir = packageDir(spec.pkg);
  if (spec.source === 'files') {
    const st = style === 'italic' && spec.italicFiles ? 'italic' : 'normal';
    const files = st === 'italic' ? spec.italicFiles! : spec.files;
    const w = closestWeight(Object.keys(files).map(Number), weight);
    return [{ alias: family, weight: w, style: st, path: join(dir, files[w]!) }];
  }
  const files = woff2Files(dir);
  const base = spec.pkg.split('/')[1]!;
  const faces: FaceFile[] = [];
  spec.subsets.forEach((subset, i) => {
    const available = (st: string) =>
      files.map((f) => new RegExp(`^${base}-${subset}-(\\d+)-${st}\\.woff2$`).exec(f)).flatMap((m) => (m ? [Number(m[1])] : []));
    let st: 'normal' | 'italic' = style;
    let weights = available(st);
    if (!weights.length && st === 'italic') {
      st = 'normal'; // synthesized oblique, as browsers do
      weights = available(st);
    }
    if (!weights.length) return;
    const w = closestWeight(weights, weight);
    faces.push({ alias: aliasFor(family, i, subset), weight: w, style: st, path: join(dir, 'files', `${base}-${subset}-${w}-${st}.woff2`) });
  });
  return faces;
}

/** CSS font matching (the engine's rule, shared with the browser host). */
export { closestWeight };

/** Aliases of a family, in subset order; unknown (brand-owned) families are their own alias. */
export function aliasesOf(family: string): string[] {
  const spec = BUNDLED_FAMILIES[family];
  if (!spec || spec.source === 'files') return [family];
  return spec.subsets.map((s, i) => aliasFor(family, i, s));
}

export const formatFamilyList: FamilyListFormatter = (families) =>
  families
    .flatMap(aliasesOf)
    .map((a) => `"${a.replace(/"/g, '')}"`)
    .join(', ');

/**
 * Why these bytes cannot be used as a font, or null when they can: fontkit parses them, every table lies
 * inside the file (a cut-short file parses lazily and fails later), and the cmap and a few glyphs read.
 * Uploads are checked with this, and brand fonts are parsed with it before Skia sees them.
 */
export function fontProblem(bytes: Uint8Array): string | null {
  const parsed = parseFont(bytes);
  return 'problem' in parsed ? parsed.problem : null;
}

/** The font of these bytes, checked as fontProblem says, or the problem. */
export function parseFont(bytes: Uint8Array): { font: fontkit.Font } | { problem: string } {
  const fail = (problem: string) => ({ problem });
  const describe = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 160);
  let font: fontkit.Font;
  try {
    const parsed = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!('hasGlyphForCodePoint' in parsed)) return fail('it is a font collection: upload one font of it');
    font = parsed as fontkit.Font;
  } catch (err) {
    return fail(`fontkit cannot read it (${describe(err)})`);
  }
  try {
    const { type, directory } = font as unknown as { type?: string; directory?: { tables?: Record<string, { tag?: string; offset?: number; length?: number; compLength?: number }> } };
    // WOFF2 tables are addressed in the decompressed stream (a cut-short WOFF2 already failed to decompress).
    if (type !== 'WOFF2') {
      for (const [tag, t] of Object.entries(directory?.tables ?? {})) {
        const end = (t.offset ?? 0) + (t.compLength ?? t.length ?? 0);
        if (end > bytes.byteLength) return fail(`it is cut short: its ${tag.trim()} table ends at byte ${end} but the file has ${bytes.byteLength} bytes`);
      }
    }
    if (!(font.numGlyphs > 0)) return fail('it has no glyphs');
    const chars = font.characterSet;
    if (!chars.length) return fail('it maps no characters (its cmap table is missing or empty)');
    for (const cp of [chars[0]!, chars[Math.floor(chars.length / 2)]!, chars[chars.length - 1]!]) void font.glyphForCodePoint(cp).path;
  } catch (err) {
    return fail(`it is damaged (${describe(err)})`);
  }
  return { font };
}

/** CJK characters: the CJK families' files are registered when a text has one (their Fontsource subsets declare no range). */
const CJK_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x11ff], [0x2e80, 0x2fdf], [0x3000, 0x9fff], [0xa960, 0xa97f], [0xac00, 0xd7ff], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xffef], [0x20000, 0x3ffff],
];

const declaredRanges = new Map<string, ReadonlyArray<readonly [number, number]>>();

/**
 * Whether `cp` is in the range a fallback alias declares (Fontsource's unicode.json; for CJK families the
 * CJK blocks). Declared ranges only decide when a file is registered; coverage is read from the files.
 */
function inDeclaredRange(family: string, alias: string, cp: number): boolean {
  let ranges = declaredRanges.get(alias);
  if (!ranges) {
    const spec = BUNDLED_FAMILIES[family];
    const subset = spec?.source === 'fontsource' ? spec.subsets[aliasesOf(family).indexOf(alias)] : undefined;
    const declared = subset ? declaredRange(packageDir(spec!.pkg), subset) : undefined;
    ranges = declared ?? CJK_RANGES;
    declaredRanges.set(alias, ranges);
  }
  return ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/**
 * A Fontsource subset's unicode-range as intervals. A family declared only as numbered slices (Noto Color
 * Emoji) has their union; CJK families also declare Latin subsets beside their slices, and their named
 * subset (korean, japanese…) declares nothing: undefined, so the CJK blocks decide.
 */
function declaredRange(dir: string, subset: string): Array<[number, number]> | undefined {
  const file = join(dir, 'unicode.json');
  if (!existsSync(file)) return undefined;
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const slices = Object.entries(all).filter(([k]) => /^\[\d+\]$/.test(k));
  const onlySlices = slices.length > 0 && slices.length === Object.keys(all).length;
  const value = all[subset] ?? (onlySlices ? slices.map(([, v]) => v).join(',') : undefined);
  return value ? (parseUnicodeRange(value) ?? undefined) : undefined;
}

/**
 * Registers fonts with Skia on first use and answers glyph-coverage
 * questions so missing glyphs are reported instead of drawn as boxes.
 */
export class FontLibrary {
  private registered = new Set<string>();
  private coverage = new Map<string, fontkit.Font | null>();
  private ownFamilies = new Map<string, FaceFile[]>();
  readonly warnings: string[] = [];

  /**
   * Register a brand's own font files and answer the alias each family is drawn under.
   *
   * Skia's font collection is process-wide and matches by family name, so two brands
   * that both call their (different) font files "House Sans" would draw with whichever
   * registered first. Each family is therefore registered under an alias derived from
   * the content of its files; the caller renames the family to that alias for this brand.
   */
  registerOwnedFamily(family: string, files: Array<{ weight: number; style: 'normal' | 'italic'; bytes: Uint8Array; label: string }>): string | null {
    const digest = createHash('sha256');
    for (const f of files) digest.update(f.bytes);
    const alias = `${family} ~${digest.digest('hex').slice(0, 12)}`;
    let any = false;
    for (const f of files) any = this.registerOwned(alias, family, f) || any;
    return any ? alias : null;
  }

  private registerOwned(alias: string, family: string, file: { weight: number; style: 'normal' | 'italic'; bytes: Uint8Array; label: string }): boolean {
    const key = `own|${alias}|${file.weight}|${file.style}|${file.label}`;
    if (this.registered.has(key)) return true;
    // Parse first: Skia accepts some broken files silently.
    const checked = parseFont(file.bytes);
    const parsed = 'font' in checked ? checked.font : null;
    if (!parsed || !GlobalFonts.register(Buffer.from(file.bytes), alias)) {
      const why = 'problem' in checked ? ` (${checked.problem})` : '';
      this.warnings.push(`Font "${family}" (${file.label.slice(0, 80)}) could not be parsed${why}; falling back to the next font in the chain.`);
      return false;
    }
    this.registered.add(key);
    const faces = this.ownFamilies.get(alias) ?? [];
    faces.push({ alias, weight: file.weight, style: file.style, path: key });
    this.ownFamilies.set(alias, faces);
    this.coverage.set(key, parsed);
    return true;
  }

  /**
   * Make sure the families of a font choice are registered at the nearest weight. Given the text to draw,
   * a script or CJK fallback family's file is registered only when the text has a character of its
   * range: a Latin headline never loads the Thai, CJK or emoji files (each registration also rebuilds
   * Skia's font collection). The element's own family and Noto Sans are always registered; the complete
   * Noto Sans and Noto Sans Math when they draw a cluster of the text (see drawsACluster).
   */
  ensure(choice: FontChoice, text?: string): void {
    const codePoints = text === undefined ? null : [...new Set(text.normalize('NFC'))].map((ch) => ch.codePointAt(0)!);
    choice.families.forEach((family, index) => {
      for (const face of facesFor(family, choice.weight, choice.style)) {
        const lazy = index > 0 && family !== 'Noto Sans' && BUNDLED_FAMILIES[family] !== undefined;
        if (lazy && text !== undefined && CLUSTER_FALLBACKS.has(family)) {
          if (!this.drawsACluster(face.path, choice.families.slice(0, index), choice, text)) continue;
        } else if (lazy && codePoints && !codePoints.some((cp) => inDeclaredRange(family, face.alias, cp))) continue;
        this.registerFile(face);
      }
    });
    if (text !== undefined) this.registerMarkedClusters(choice, text);
  }

  /**
   * A cluster with a combining mark is shaped by the first file of the chain that has it whole, which may
   * belong to a family the rules above leave unregistered (Noto Sans SC has x with U+20DD, outside its CJK
   * range): register that file, or Skia would shape the cluster with a system font. Only clusters with a
   * mark are walked, so plain Latin, CJK or emoji text parses no further file.
   */
  private registerMarkedClusters(choice: FontChoice, text: string): void {
    for (const cps of glyphClusters(text)) {
      if (cps.length < 2 || !cps.some((cp) => COMBINING_MARK.test(String.fromCodePoint(cp)))) continue;
      const whole = (path: string) => {
        const font = this.fontAt(path);
        return font !== null && cps.every((cp) => font.hasGlyphForCodePoint(cp));
      };
      walk: for (const family of choice.families) {
        if ((this.ownFamilies.get(family) ?? []).some((f) => whole(f.path))) break;
        for (const face of facesFor(family, choice.weight, choice.style)) {
          if (!whole(face.path)) continue;
          this.registerFile(face);
          break walk;
        }
      }
    }
  }

  /**
   * Whether the file at `path` draws a cluster of `text` once registered: it has every character of the
   * cluster and no file of the families before it has them all (Skia shapes a cluster with the first such
   * file). Registration is process-wide, so the file is registered exactly when it would draw something:
   * a text then draws the same whatever was rendered before it.
   */
  private drawsACluster(path: string, before: readonly string[], choice: FontChoice, text: string): boolean {
    const font = this.fontAt(path);
    if (!font) return false;
    const earlier = this.filesOf(before, choice);
    return glyphClusters(text).some((cps) => cps.every((cp) => font.hasGlyphForCodePoint(cp)) && !this.oneFileDraws(earlier, cps));
  }

  /** The files of these families at this choice's weight and style: shipped ones, then a brand's own. */
  private filesOf(families: readonly string[], choice: FontChoice): string[] {
    return families.flatMap((family) => [
      ...facesFor(family, choice.weight, choice.style).map((f) => f.path),
      ...(this.ownFamilies.get(family) ?? []).map((f) => f.path),
    ]);
  }

  private oneFileDraws(files: readonly string[], cps: readonly number[]): boolean {
    return files.some((p) => {
      const font = this.fontAt(p);
      return font !== null && cps.every((cp) => font.hasGlyphForCodePoint(cp));
    });
  }

  private registerFile(face: FaceFile): void {
    const key = `${face.alias}|${face.path}`;
    if (this.registered.has(key)) return;
    this.registered.add(key);
    if (!existsSync(face.path) || !GlobalFonts.registerFromPath(face.path, face.alias)) {
      this.warnings.push(`Font file ${face.path} for "${face.alias}" could not be loaded.`);
    }
  }

  private fontAt(path: string): fontkit.Font | null {
    if (!this.coverage.has(path)) {
      try {
        const f = fontkit.create(readFileSync(path));
        this.coverage.set(path, 'hasGlyphForCodePoint' in f ? (f as fontkit.Font) : null);
      } catch {
        this.coverage.set(path, null);
      }
    }
    return this.coverage.get(path) ?? null;
  }

  /**
   * What of `text` no shipped font of the chain can draw, in order of first appearance: each character no
   * file has, and each cluster (a letter with its combining marks) whose characters are in the chain but
   * never all in one file. Skia shapes a cluster with one font: one that no file draws whole is drawn by
   * a system font, which is never wanted. Text is taken in NFC, as layout draws it.
   */
  uncovered(text: string, choice: FontChoice): string[] {
    const files = this.filesOf(choice.families, choice);
    const missing = new Set<string>();
    const drawable = (cps: number[]) => this.oneFileDraws(files, cps);
    for (const cps of glyphClusters(text)) {
      if (drawable(cps)) continue;
      const lone = cps.filter((cp) => !drawable([cp]));
      if (lone.length) for (const cp of lone) missing.add(String.fromCodePoint(cp));
      else missing.add(cps.map((cp) => String.fromCodePoint(cp)).join(''));
    }
    return [...missing];
  }
}
