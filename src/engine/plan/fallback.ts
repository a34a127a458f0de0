/**
 * Families appended after every text element's own family, in this order, so
 * that any script the product supports finds a glyph in a font Adsmith ships:
 * extended Latin, Greek and Cyrillic, then Arabic, Hebrew, CJK, and colour emoji.
 * Hosts must register fonts under exactly these names.
 */
export const FALLBACK_FAMILIES = ['Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans SC', 'Noto Color Emoji'] as const;
