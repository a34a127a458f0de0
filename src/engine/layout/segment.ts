/**
 * Where a line may break. Built on Intl.Segmenter (ICU in Node and browsers):
 * words for Latin and dictionary-segmented CJK, graphemes for splitting words
 * that are wider than their box and for ellipsis, so emoji sequences and
 * combining marks are never cut apart.
 */
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const CJK = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]|[\u{20000}-\u{3FFFF}]/u;
/**
 * Hangul syllables: Korean puts spaces between words, so its lines break at spaces (CSS `word-break: keep-all`,
 * what Korean typesetting expects) and a word is split between syllables only when it is wider than the box.
 */
const HANGUL = /^[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]+$/u;
/** Scripts written without spaces whose words ICU finds by dictionary (Thai, Lao, Myanmar, Khmer): a line may break between those words. */
const DICTIONARY_WORDS = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u19E0-\u19FF]/u;
const STRONG_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG_LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]/u;
/** Punctuation that must not start a line (closing marks, CJK full stops and commas). */
const NO_BREAK_BEFORE = /^[\s]*[.,;:!?%)\]}»”’、。，．！？：；）」』】〉》〕…‥ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ]/u;
/** Marks that must not end a line (opening brackets and quotes). */
const NO_BREAK_AFTER = /[([{«“‘（「『【〈《〔]$/u;

export interface Token {
  text: string;
  /** Whitespace only: dropped at line ends. */
  space: boolean;
  /** A line may break before this token. */
  breakBefore: boolean;
}

/** Text up to this length is segmented in one call; longer text in windows (see `segments`). */
const WINDOW = 512;
/** A window's segments are kept only up to this far from its end, so each boundary kept had this much text after it. */
const WINDOW_MARGIN = 64;

/**
 * The segments of `text`, in order, as they are found. V8 walks a segment iterator in time that
 * grows with the whole string's length at every step (100k characters: seconds),
 * so long text is segmented in windows of 512 characters (the work per window
 * grows with its segments times its length: small windows keep dense CJK
 * cheap), each restarting at a
 * boundary the previous window found with at least WINDOW_MARGIN characters of
 * context after it. Text up to WINDOW characters takes the single-call path
 * unchanged. A window with no boundary before its margin (one huge cluster) is
 * widened until it has one.
 */
export function* segments(segmenter: Intl.Segmenter, text: string): Generator<string> {
  if (text.length <= WINDOW) {
    for (const s of segmenter.segment(text)) yield s.segment;
    return;
  }
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    const end = Math.min(text.length, start + size);
    const window = text.slice(start, end);
    if (end === text.length) {
      for (const s of segmenter.segment(window)) yield s.segment;
      return;
    }
    const keepUntil = window.length - WINDOW_MARGIN;
    let kept = 0;
    for (const s of segmenter.segment(window)) {
      if (s.index + s.segment.length > keepUntil) break;
      kept = s.index + s.segment.length;
      yield s.segment;
    }
    if (kept === 0) {
      size *= 2;
      continue;
    }
    start += kept;
    size = WINDOW;
  }
}

/**
 * Text whose every character is a grapheme of its own, whatever its neighbours in the same set: printable
 * ASCII, and CJK ideographs, kana, Hangul syllables, CJK and full-width punctuation without the combining marks
 * among them (voiced sound marks, tone marks) or a zero-width joiner. Such text skips ICU (one segmenter call per
 * CJK word was most of a long Chinese heading's layout). test/engine/text-cost.test.ts checks every character
 * of these ranges against Intl.Segmenter.
 */
const ONE_CHAR_GRAPHEMES = /^(?:[\x20-\x7e]|(?![\p{Grapheme_Extend}\u200D])[\u3000-\u9FFF\uAC00-\uD7A3\uF900-\uFAFF\uFF00-\uFFEF])*$/u;

/** True when each character of `text` is a grapheme of its own (see ONE_CHAR_GRAPHEMES); exported for its test. */
export function isOneCharGraphemes(text: string): boolean {
  return ONE_CHAR_GRAPHEMES.test(text);
}

export function graphemes(text: string): string[] {
  return ONE_CHAR_GRAPHEMES.test(text) ? Array.from(text) : Array.from(segments(graphemeSegmenter, text));
}

/** The graphemes of `text` one at a time, for callers that may stop early in a long text. */
export function eachGrapheme(text: string): Iterable<string> {
  return ONE_CHAR_GRAPHEMES.test(text) ? text : segments(graphemeSegmenter, text);
}

/** Split one paragraph into tokens with break opportunities between them. */
export function tokenize(paragraph: string): Token[] {
  const tokens: Token[] = [];
  for (const text of segments(wordSegmenter, paragraph)) {
    const space = /^\s+$/u.test(text);
    // CJK segments break anywhere between characters: split them to graphemes.
    const pieces = !space && CJK.test(text) && !HANGUL.test(text) ? graphemes(text) : [text];
    for (const piece of pieces) {
      const prev = tokens[tokens.length - 1];
      let breakBefore = false;
      if (prev) {
        const afterSpace = prev.space && !space;
        const cjkBoundary = (CJK.test(piece) && !HANGUL.test(piece)) || (CJK.test(prev.text) && !HANGUL.test(prev.text));
        const dictionaryBoundary = !space && !prev.space && DICTIONARY_WORDS.test(piece) && DICTIONARY_WORDS.test(prev.text);
        const afterHyphen = /[-‐–—/]$/u.test(prev.text) && !space;
        breakBefore = (afterSpace || cjkBoundary || dictionaryBoundary || afterHyphen) && !NO_BREAK_BEFORE.test(piece) && !NO_BREAK_AFTER.test(prev.text);
      }
      // Glue non-breaking pieces to the previous token so measuring keeps them together.
      if (prev && !breakBefore && !space && !prev.space) {
        prev.text += piece;
      } else {
        tokens.push({ text: piece, space, breakBefore });
      }
    }
  }
  return tokens;
}

/** Base direction of a paragraph: that of its first strong letter (Unicode bidi P2/P3). */
export function detectDirection(text: string): 'ltr' | 'rtl' {
  return strongDirection(text) ?? 'ltr';
}

/** The direction of the first strong letter of `text`, or null when it has none (digits, punctuation, emoji). */
export function strongDirection(text: string): 'ltr' | 'rtl' | null {
  for (const ch of text) {
    if (STRONG_RTL.test(ch)) return 'rtl';
    if (STRONG_LTR.test(ch)) return 'ltr';
  }
  return null;
}

export function applyTransform(text: string, transform: 'none' | 'uppercase' | 'lowercase' | 'capitalize'): string {
  switch (transform) {
    case 'uppercase':
      return text.toLocaleUpperCase();
    case 'lowercase':
      return text.toLocaleLowerCase();
    case 'capitalize':
      return text.replace(/(^|[\s\-–—(“"'])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toLocaleUpperCase());
    case 'none':
      return text;
  }
}
