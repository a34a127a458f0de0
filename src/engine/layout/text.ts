import type { Context2D } from '../canvas.js';
import type { TextLayerPlan } from '../plan/types.js';
import { applyTransform, detectDirection, eachGrapheme, graphemes, strongDirection, tokenize, type Token } from './segment.js';

export const ELLIPSIS = '…';

export interface LaidOutLine {
  text: string;
  /** The direction of the line's paragraph (its first strong letter when the element's direction is auto). */
  direction: 'ltr' | 'rtl';
  /** Where fillText draws the line (textAlign left, alphabetic baseline). */
  x: number;
  baseline: number;
  /** Ink extents relative to the box, for tests and the editor. */
  inkLeft: number;
  inkRight: number;
  inkTop: number;
  inkBottom: number;
}

export interface TextLayout {
  id: string;
  /** The CSS font string to set before drawing. */
  font: string;
  fontSize: number;
  letterSpacingPx: number;
  /** The first paragraph's direction; each line carries its own paragraph's. */
  direction: 'ltr' | 'rtl';
  color: string;
  lines: LaidOutLine[];
  /** True when text was cut and ellipsized. */
  truncated: boolean;
  /** True when even the minimum size could not fit one line and a smaller size was used. */
  belowMinimum: boolean;
}

/** Turns a family list into a CSS font-family value; hosts may map logical names to registered aliases. */
export type FamilyListFormatter = (families: readonly string[]) => string;

export const quoteFamilies: FamilyListFormatter = (families) => families.map((f) => `"${f.replace(/"/g, '')}"`).join(', ');

interface Measured {
  width: number;
  left: number;
  right: number;
  ascent: number;
  descent: number;
}

interface SizeContext {
  size: number;
  font: string;
  letterSpacingPx: number;
  lineHeightPx: number;
  /** Font (not ink) ascent/descent of the primary face, for placing baselines in the line box. */
  fontAscent: number;
  fontDescent: number;
  /** Measured in the size's direction, or in `direction` (a paragraph's) when given. */
  measure: (text: string, direction?: 'ltr' | 'rtl') => Measured;
}

/** Measures text with the canvas; the same on server and in the browser editor. */
function makeSizeContext(ctx: Context2D, plan: TextLayerPlan, size: number, families: string, direction: 'ltr' | 'rtl'): SizeContext {
  const font = `${plan.font.style === 'italic' ? 'italic ' : ''}${plan.font.weight} ${size}px ${families}`;
  const letterSpacingPx = plan.letterSpacing * size;
  ctx.font = font;
  ctx.letterSpacing = `${letterSpacingPx}px`;
  ctx.direction = direction;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  const probe = ctx.measureText('Hg');
  const cache = new Map<string, Measured>();
  return {
    size,
    font,
    letterSpacingPx,
    lineHeightPx: size * plan.lineHeight,
    fontAscent: probe.fontBoundingBoxAscent || size * 0.8,
    fontDescent: probe.fontBoundingBoxDescent || size * 0.2,
    measure(text, lineDirection = direction) {
      const key = lineDirection === direction ? text : `${lineDirection}\u0000${text}`;
      let m = cache.get(key);
      if (!m) {
        if (lineDirection !== direction) ctx.direction = lineDirection;
        const t = ctx.measureText(text);
        if (lineDirection !== direction) ctx.direction = direction;
        // Letter spacing adds space after the last glyph too; it is not ink.
        m = {
          width: Math.max(0, t.width - (text ? letterSpacingPx : 0)),
          left: t.actualBoundingBoxLeft,
          right: t.actualBoundingBoxRight,
          ascent: t.actualBoundingBoxAscent,
          descent: t.actualBoundingBoxDescent,
        };
        cache.set(key, m);
      }
      return m;
    },
  };
}

/**
 * Room a line needs: its advance width (what designers align by), widened by
 * any ink that overhangs the advance on either side (italics, emoji).
 */
function inkWidth(m: Measured): number {
  return Math.max(m.width, m.right) + Math.max(0, m.left);
}

/**
 * Split a token wider than the box into grapheme chunks that each fit. At most
 * `maxChunks` chunks are cut; the rest of the token comes back as `remainder`
 * (breakBefore), to be split again only if the lines ever reach it. Chunking
 * restarts at each chunk's first grapheme, so cutting later gives the same chunks.
 */
function splitLongToken(token: Token, maxWidth: number, sc: SizeContext, maxChunks = Infinity): { chunks: Token[]; remainder: Token | null } {
  const chunks: Token[] = [];
  let current = '';
  let consumed = 0;
  let remainder: Token | null = null;
  for (const g of eachGrapheme(token.text)) {
    const candidate = current + g;
    if (current && inkWidth(sc.measure(candidate)) > maxWidth) {
      chunks.push({ text: current, space: false, breakBefore: true });
      if (chunks.length >= maxChunks) {
        remainder = { text: token.text.slice(consumed), space: false, breakBefore: true };
        current = '';
        break;
      }
      current = g;
    } else {
      current = candidate;
    }
    consumed += g.length;
  }
  if (current) chunks.push({ text: current, space: false, breakBefore: true });
  if (chunks[0]) chunks[0].breakBefore = token.breakBefore;
  return { chunks, remainder };
}

/** The lines of a wrap; `rest` holds what was left unread when the wrap stopped at its line limit. */
interface Wrapped {
  lines: string[];
  /** The paragraph each line belongs to. */
  paragraphOf: number[];
  /** True when the wrap stopped early: `lines` has limit + 1 lines and the text goes on. */
  cut: boolean;
  /** The tokens not yet laid out when the wrap stopped (empty when not cut). */
  rest: Token[];
}

/**
 * Greedy line filling at one size. Returns null if a single grapheme is wider
 * than the box. Stops once it has `limit + 1` lines: the text no longer fits
 * then, and the first `limit` lines are the same as a full wrap's, so no
 * caller needs the rest (see `unfittableLater` for the one question asked of it).
 */
function wrap(paragraphs: Token[][], maxWidth: number, sc: SizeContext, limit = Infinity): Wrapped | null {
  const lines: string[] = [];
  const paragraphOf: number[] = [];
  for (let p = 0; p < paragraphs.length; p++) {
    const tokens = paragraphs[p]!;
    let line = '';
    let pendingSpace = '';
    const flush = () => {
      lines.push(line);
      paragraphOf.push(p);
      line = '';
      pendingSpace = '';
    };
    // Tokens are read by index, with pieces pushed back on a stack: shifting an array is linear per call.
    let next = 0;
    const pushedBack: Token[] = [];
    const rest = (): Token[] => [...pushedBack.reverse(), ...tokens.slice(next), ...paragraphs.slice(p + 1).flat()];
    while (pushedBack.length || next < tokens.length) {
      if (lines.length > limit) return { lines, paragraphOf, cut: true, rest: rest() };
      const token = pushedBack.length ? pushedBack.pop()! : tokens[next++]!;
      if (token.space) {
        if (line) pendingSpace += token.text;
        continue;
      }
      const candidate = line ? line + pendingSpace + token.text : token.text;
      if (inkWidth(sc.measure(candidate)) <= maxWidth) {
        line = candidate;
        pendingSpace = '';
        continue;
      }
      if (line && token.breakBefore) {
        flush();
        pushedBack.push(token);
        continue;
      }
      if (line && !token.breakBefore) {
        // Cannot break here: move back to the last break opportunity is costly; split graphemes instead.
        flush();
      }
      if (inkWidth(sc.measure(token.text)) <= maxWidth) {
        line = token.text;
        continue;
      }
      // Never cut more chunks than lines that could still be laid out.
      const { chunks, remainder } = splitLongToken(token, maxWidth, sc, limit === Infinity ? Infinity : limit + 2 - lines.length);
      if (chunks.some((c) => inkWidth(sc.measure(c.text)) > maxWidth)) return null;
      if (remainder) pushedBack.push(remainder);
      for (let i = chunks.length - 1; i >= 0; i--) pushedBack.push(chunks[i]!);
    }
    lines.push(line);
    paragraphOf.push(p);
    if (lines.length > limit && p < paragraphs.length - 1) return { lines, paragraphOf, cut: true, rest: paragraphs.slice(p + 1).flat() };
  }
  return { lines, paragraphOf, cut: false, rest: [] };
}

/**
 * Whether a full wrap would have found a grapheme wider than the box among the
 * tokens a cut wrap never reached. Such a grapheme makes its token wider than
 * the box, so the token would be split and the grapheme would be a chunk alone.
 * Measures graphemes, which repeat (cached), instead of filling lines.
 */
function unfittableLater(rest: Token[], maxWidth: number, sc: SizeContext): boolean {
  for (const token of rest) {
    if (token.space) continue;
    for (const g of eachGrapheme(token.text)) if (inkWidth(sc.measure(g)) > maxWidth) return true;
  }
  return false;
}

function lineCapacity(height: number, sc: SizeContext): number {
  return Math.max(0, Math.floor((height + 1e-6) / sc.lineHeightPx));
}

/** Vertical extents of the ink of n lines stacked in line boxes, relative to the block top. */
function blockInk(lines: string[], sc: SizeContext): { top: number; bottom: number; baselines: number[] } {
  const half = (sc.lineHeightPx - (sc.fontAscent + sc.fontDescent)) / 2;
  let top = Infinity;
  let bottom = -Infinity;
  const baselines = lines.map((text, i) => {
    const baseline = i * sc.lineHeightPx + half + sc.fontAscent;
    const m = sc.measure(text || ' ');
    top = Math.min(top, baseline - Math.max(m.ascent, 0), i * sc.lineHeightPx);
    bottom = Math.max(bottom, baseline + Math.max(m.descent, 0), (i + 1) * sc.lineHeightPx);
    return baseline;
  });
  return { top, bottom, baselines };
}

function fits(lines: string[] | null, plan: TextLayerPlan, sc: SizeContext): boolean {
  if (!lines) return false;
  if (plan.maxLines !== null && lines.length > plan.maxLines) return false;
  if (lines.length > lineCapacity(plan.box.height, sc)) return false;
  const ink = blockInk(lines, sc);
  return ink.bottom - ink.top <= plan.box.height + 1e-6;
}

/** Cut to `count` lines; the last ends with an ellipsis and still fits the width. */
function ellipsize(lines: string[], count: number, maxWidth: number, sc: SizeContext): string[] {
  const kept = lines.slice(0, count);
  const lastIndex = kept.length - 1;
  if (lastIndex < 0) return kept;
  let chars = graphemes(kept[lastIndex]!.trimEnd());
  const withEllipsis = () => chars.join('').trimEnd() + ELLIPSIS;
  while (chars.length && inkWidth(sc.measure(withEllipsis())) > maxWidth) chars = chars.slice(0, -1);
  kept[lastIndex] = chars.length || inkWidth(sc.measure(ELLIPSIS)) <= maxWidth ? withEllipsis() : '';
  return kept;
}

function position(lines: string[], plan: TextLayerPlan, sc: SizeContext, directions: ReadonlyArray<'ltr' | 'rtl'>): LaidOutLine[] {
  const { box } = plan;
  const ink = blockInk(lines, sc);
  const blockHeight = ink.bottom - ink.top;
  let offset: number;
  if (plan.verticalAlign === 'middle') offset = (box.height - blockHeight) / 2;
  else if (plan.verticalAlign === 'bottom') offset = box.height - blockHeight;
  else offset = 0;
  // offset is where the block's ink-or-linebox top lands inside the box.
  const shift = offset - ink.top;
  return lines.map((text, i) => {
    const direction = directions[i]!;
    // start and end follow the direction of the line's paragraph: an Arabic paragraph starts on the right.
    const align =
      plan.align === 'start' ? (direction === 'rtl' ? 'right' : 'left') : plan.align === 'end' ? (direction === 'rtl' ? 'left' : 'right') : plan.align;
    const m = sc.measure(text || ' ', direction);
    const width = inkWidth(m);
    // Align by the advance box, as type is set, pushed inwards by any overhang
    // so ink stays in the box (actualBoundingBoxLeft: ink left of the origin).
    let start: number;
    if (align === 'left') start = 0;
    else if (align === 'right') start = box.width - width;
    else start = (box.width - width) / 2;
    const x = box.x + start + Math.max(0, m.left);
    const baseline = box.y + shift + ink.baselines[i]!;
    return {
      text,
      direction,
      x,
      baseline,
      inkLeft: x - m.left - box.x,
      inkRight: x + m.right - box.x,
      inkTop: baseline - m.ascent - box.y,
      inkBottom: baseline + m.descent - box.y,
    };
  });
}

/**
 * Fit a text layer in its box: wrap at word boundaries, shrink from the max to
 * the min size (largest that fits), then ellipsize past the lines that fit.
 * Words wider than the box break between graphemes.
 */
export function layoutText(ctx: Context2D, plan: TextLayerPlan, formatFamilies: FamilyListFormatter = quoteFamilies): TextLayout {
  // NFC: a letter typed with combining marks (e + U+0301) becomes its precomposed letter (é), which the
  // shipped fonts have in the same file as the base letters; a decomposed cluster may span two subset files.
  const text = applyTransform(plan.text.replace(/\r\n?/g, '\n'), plan.transform).normalize('NFC');
  const direction = plan.direction === 'auto' ? detectDirection(text) : plan.direction;
  const families = formatFamilies(plan.font.families);
  const paragraphTexts = text.split('\n');
  const paragraphs = paragraphTexts.map((p) => tokenize(p.trim() === '' ? '' : p));
  // Each paragraph has its own direction when the element's is auto (Unicode bidi P2/P3, per paragraph);
  // one without a strong letter takes the text's.
  const paragraphDirections = paragraphTexts.map((p) => (plan.direction === 'auto' ? (strongDirection(p) ?? direction) : plan.direction));
  const maxWidth = plan.box.width;

  // The most lines that can show at a size; wraps stop one line past it (see `wrap`).
  const lineLimit = (sc: SizeContext) => Math.min(lineCapacity(plan.box.height, sc), plan.maxLines ?? Infinity);
  /** Lines at a size: the same first lines as a full wrap, null exactly when a full wrap would be. */
  const linesAt = (sc: SizeContext, wrapped: Wrapped | null): string[] | null => {
    if (!wrapped) return null;
    if (wrapped.cut && unfittableLater(wrapped.rest, maxWidth, sc)) return null;
    return wrapped.lines;
  };

  const tryAt = (size: number) => {
    const sc = makeSizeContext(ctx, plan, size, families, direction);
    const wrapped = wrap(paragraphs, maxWidth, sc, Math.max(1, lineLimit(sc)));
    // A cut wrap has more lines than can show, so it fails like a full one (null or too many lines).
    return { sc, wrapped, ok: fits(wrapped?.lines ?? null, plan, sc) };
  };

  // Largest size in [min, max] that fits, to a quarter pixel. Fitting is
  // monotone enough in practice; the result is re-checked below.
  let best = tryAt(plan.size.max);
  if (!best.ok) {
    let lo = plan.size.min;
    let hi = plan.size.max;
    const atMin = tryAt(lo);
    if (atMin.ok) {
      best = atMin;
      while (hi - lo > 0.25) {
        const mid = Math.round(((lo + hi) / 2) * 4) / 4;
        const attempt = tryAt(mid);
        if (attempt.ok) {
          lo = mid;
          best = attempt;
        } else hi = mid;
      }
    } else {
      best = atMin;
    }
  }

  let sc = best.sc;
  let lines = best.ok ? best.wrapped!.lines : linesAt(sc, best.wrapped);
  // Lines keep their order through ellipsizing (a prefix is kept), so the wrap's paragraph indexes stay valid.
  let paragraphOf = best.wrapped?.paragraphOf ?? [];
  let truncated = false;
  let belowMinimum = false;
  if (!best.ok) {
    // At the minimum size it still does not fit: keep the lines that fit, ellipsize the last.
    let capacity = lineLimit(sc);
    let size = sc.size;
    // A box shorter than one line at the minimum size: go below the minimum rather than overflow.
    while ((capacity < 1 || lines === null) && size > 4) {
      size = Math.max(4, size * 0.85);
      belowMinimum = true;
      sc = makeSizeContext(ctx, plan, size, families, direction);
      capacity = lineLimit(sc);
      const wrapped = wrap(paragraphs, maxWidth, sc, Math.max(1, capacity));
      paragraphOf = wrapped?.paragraphOf ?? [];
      lines = linesAt(sc, wrapped);
    }
    lines = ellipsize(lines ?? [], Math.max(1, capacity), maxWidth, sc);
    // Tall glyphs (emoji, stacked diacritics) can still push ink past the box: drop lines until it fits.
    while (lines.length > 1 && !fits(lines, { ...plan, maxLines: null }, sc)) lines = ellipsize(lines, lines.length - 1, maxWidth, sc);
    truncated = true;
  }
  const finalLines = lines ?? [];
  const lineDirections = finalLines.map((_, i) => paragraphDirections[paragraphOf[i] ?? 0] ?? direction);
  return {
    id: plan.id,
    font: sc.font,
    fontSize: sc.size,
    letterSpacingPx: sc.letterSpacingPx,
    direction,
    color: plan.color,
    lines: position(finalLines, plan, sc, lineDirections),
    truncated,
    belowMinimum,
  };
}
