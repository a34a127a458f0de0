import type { Context2D } from '../canvas.js';
import type { TextLayerPlan } from '../plan/types.js';
import { applyTransform, detectDirection, graphemes, tokenize, type Token } from './segment.js';

export const ELLIPSIS = '…';

export interface LaidOutLine {
  text: string;
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
  measure: (text: string) => Measured;
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
    measure(text) {
      let m = cache.get(text);
      if (!m) {
        const t = ctx.measureText(text);
        // Letter spacing adds space after the last glyph too; it is not ink.
        m = {
          width: Math.max(0, t.width - (text ? letterSpacingPx : 0)),
          left: t.actualBoundingBoxLeft,
          right: t.actualBoundingBoxRight,
          ascent: t.actualBoundingBoxAscent,
          descent: t.actualBoundingBoxDescent,
        };
        cache.set(text, m);
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

/** Split a token wider than the box into grapheme chunks that each fit. */
function splitLongToken(token: Token, maxWidth: number, sc: SizeContext): Token[] {
  const out: Token[] = [];
  let current = '';
  for (const g of graphemes(token.text)) {
    const candidate = current + g;
    if (current && inkWidth(sc.measure(candidate)) > maxWidth) {
      out.push({ text: current, space: false, breakBefore: true });
      current = g;
    } else {
      current = candidate;
    }
  }
  if (current) out.push({ text: current, space: false, breakBefore: true });
  if (out[0]) out[0].breakBefore = token.breakBefore;
  return out;
}

/** Greedy line filling at one size. Returns null if a single grapheme is wider than the box. */
function wrap(paragraphs: Token[][], maxWidth: number, sc: SizeContext): string[] | null {
  const lines: string[] = [];
  for (const tokens of paragraphs) {
    let line = '';
    let pendingSpace = '';
    const flush = () => {
      lines.push(line);
      line = '';
      pendingSpace = '';
    };
    const queue = [...tokens];
    while (queue.length) {
      const token = queue.shift()!;
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
        queue.unshift(token);
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
      const pieces = splitLongToken(token, maxWidth, sc);
      if (pieces.some((p) => inkWidth(sc.measure(p.text)) > maxWidth)) return null;
      queue.unshift(...pieces);
    }
    lines.push(line);
  }
  return lines;
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

function position(lines: string[], plan: TextLayerPlan, sc: SizeContext, direction: 'ltr' | 'rtl'): LaidOutLine[] {
  const { box } = plan;
  const ink = blockInk(lines, sc);
  const blockHeight = ink.bottom - ink.top;
  let offset: number;
  if (plan.verticalAlign === 'middle') offset = (box.height - blockHeight) / 2;
  else if (plan.verticalAlign === 'bottom') offset = box.height - blockHeight;
  else offset = 0;
  // offset is where the block's ink-or-linebox top lands inside the box.
  const shift = offset - ink.top;
  const align =
    plan.align === 'start' ? (direction === 'rtl' ? 'right' : 'left') : plan.align === 'end' ? (direction === 'rtl' ? 'left' : 'right') : plan.align;
  return lines.map((text, i) => {
    const m = sc.measure(text || ' ');
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
  const text = applyTransform(plan.text.replace(/\r\n?/g, '\n'), plan.transform);
  const direction = plan.direction === 'auto' ? detectDirection(text) : plan.direction;
  const families = formatFamilies(plan.font.families);
  const paragraphs = text.split('\n').map((p) => tokenize(p.trim() === '' ? '' : p));
  const maxWidth = plan.box.width;

  const tryAt = (size: number) => {
    const sc = makeSizeContext(ctx, plan, size, families, direction);
    const lines = wrap(paragraphs, maxWidth, sc);
    return { sc, lines, ok: fits(lines, plan, sc) };
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

  let { sc, lines } = best;
  let truncated = false;
  let belowMinimum = false;
  if (!best.ok) {
    // At the minimum size it still does not fit: keep the lines that fit, ellipsize the last.
    let capacity = Math.min(lineCapacity(plan.box.height, sc), plan.maxLines ?? Infinity);
    let size = sc.size;
    // A box shorter than one line at the minimum size: go below the minimum rather than overflow.
    while ((capacity < 1 || lines === null) && size > 4) {
      size = Math.max(4, size * 0.85);
      belowMinimum = true;
      sc = makeSizeContext(ctx, plan, size, families, direction);
      lines = wrap(paragraphs, maxWidth, sc);
      capacity = Math.min(lineCapacity(plan.box.height, sc), plan.maxLines ?? Infinity);
    }
    lines = ellipsize(lines ?? [], Math.max(1, capacity), maxWidth, sc);
    // Tall glyphs (emoji, stacked diacritics) can still push ink past the box: drop lines until it fits.
    while (lines.length > 1 && !fits(lines, { ...plan, maxLines: null }, sc)) lines = ellipsize(lines, lines.length - 1, maxWidth, sc);
    truncated = true;
  }
  const finalLines = lines ?? [];
  return {
    id: plan.id,
    font: sc.font,
    fontSize: sc.size,
    letterSpacingPx: sc.letterSpacingPx,
    direction,
    color: plan.color,
    lines: position(finalLines, plan, sc, direction),
    truncated,
    belowMinimum,
  };
}
