/**
 * The complete Noto Sans (one file per weight and style, every combining mark): the Fontsource subsets
 * carry only a few marks, and a letter with a mark that has no precomposed form (x̂, q̃, ω̈) is shaped
 * with one file, the first that has the letter and all its marks. Before the CJK families, whose files
 * have Latin letters and a few marks too (Noto Sans SC draws x̌), so such a cluster is set in Noto Sans.
 */
export const COMPLETE_NOTO_SANS = 'Noto Sans Complete';

/**
 * Noto Sans Math: the only shipped file with the combining marks for symbols (U+20D0–20F0: vector arrows,
 * enclosing circle, … — all but U+20E0, U+20E2, U+20E3) together with Latin and Greek letters, so x⃗ or
 * v⃑ is shaped whole in it rather than by a system font. Last in the chain, after the emoji: it has ~3000
 * symbols the earlier families already draw, and should take only the clusters none of them has whole.
 */
export const NOTO_SANS_MATH = 'Noto Sans Math';

/**
 * Families appended after every text element's own family, so that every
 * script the product supports finds a glyph in a font Adsmith ships: extended
 * Latin, Greek and Cyrillic (Noto Sans), Arabic, Hebrew, Thai, Devanagari,
 * Bengali, Tamil, then the complete Noto Sans, then the CJK families, then
 * colour emoji, then Noto Sans Math (combining marks for symbols). The canvas takes each character from the first family that has
 * it, so the order of the CJK families decides which glyph forms Han characters get (直 骨 角 differ
 * between Chinese, Japanese and Korean type). Hosts must register fonts under
 * exactly these names.
 */
const BEFORE_CJK = ['Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans Thai', 'Noto Sans Devanagari', 'Noto Sans Bengali', 'Noto Sans Tamil', COMPLETE_NOTO_SANS] as const;
const EMOJI = 'Noto Color Emoji';

/** CJK families by the locale that prefers them; the first of a list draws the Han characters it has. */
const CJK_ORDER = {
  /** Simplified Chinese forms when nothing says otherwise (the default before locales existed). */
  default: ['Noto Sans SC', 'Noto Sans TC', 'Noto Sans JP', 'Noto Sans KR'],
  'zh-Hans': ['Noto Sans SC', 'Noto Sans TC', 'Noto Sans JP', 'Noto Sans KR'],
  'zh-Hant': ['Noto Sans TC', 'Noto Sans SC', 'Noto Sans JP', 'Noto Sans KR'],
  ja: ['Noto Sans JP', 'Noto Sans SC', 'Noto Sans TC', 'Noto Sans KR'],
  // Hanja in Korean text keep traditional forms.
  ko: ['Noto Sans KR', 'Noto Sans TC', 'Noto Sans SC', 'Noto Sans JP'],
} as const;

export type CjkPreference = keyof typeof CJK_ORDER;

/** The default chain (no locale). */
export const FALLBACK_FAMILIES: readonly string[] = [...BEFORE_CJK, ...CJK_ORDER.default, EMOJI, NOTO_SANS_MATH];

/**
 * Which CJK glyph forms a BCP 47 locale asks for: `ja…` Japanese, `ko…` Korean,
 * `zh` with the Hant script or a region that writes it (TW, HK, MO) Traditional
 * Chinese, any other `zh` Simplified; anything else (or nothing) the default.
 */
export function cjkPreference(locale: string | null | undefined): CjkPreference {
  if (!locale) return 'default';
  const parts = locale.trim().toLowerCase().replace(/_/g, '-').split('-');
  const language = parts[0];
  if (language === 'ja') return 'ja';
  if (language === 'ko') return 'ko';
  if (language === 'zh' || language === 'yue' || language === 'cmn') {
    const rest = parts.slice(1);
    if (rest.includes('hant')) return 'zh-Hant';
    if (rest.includes('hans')) return 'zh-Hans';
    if (rest.some((p) => p === 'tw' || p === 'hk' || p === 'mo') || language === 'yue') return 'zh-Hant';
    return 'zh-Hans';
  }
  return 'default';
}

/** The shipped chain for a locale (see cjkPreference). */
export function fallbackFamilies(locale?: string | null): readonly string[] {
  const cjk = CJK_ORDER[cjkPreference(locale)];
  return [...BEFORE_CJK, ...cjk, EMOJI, NOTO_SANS_MATH];
}

