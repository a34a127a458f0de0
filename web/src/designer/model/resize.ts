/**
 * "Resize to all sizes": a proposed layout for a new scene size from an
 * existing scene, by explicit per-element rules the designer sees and edits —
 * which edges an element is pinned to, whether it keeps its aspect, the range
 * its text size stays in, and below which scene size it is left out. Not a
 * proportional scale of the scene: margins to pinned edges are kept (scaled by
 * the smaller of the two axis factors), sizes follow the scene's area, and
 * every box is kept inside the new scene. Pure data, no DOM.
 */
import type { Element, Scene, TemplateDocument } from '../../../../src/engine/model/template.js';
import { sceneName } from './presets.js';

export type HorizontalPin = 'left' | 'right' | 'center' | 'stretch';
export type VerticalPin = 'top' | 'bottom' | 'middle' | 'stretch';

export interface ResizeRule {
  /** Which side the element keeps its distance to (stretch: both, so it spans the scene as it did). */
  horizontal: HorizontalPin;
  vertical: VerticalPin;
  /** Width and height change by the same factor (logos, cut-out products). */
  keepAspect: boolean;
  /** Text: the font sizes proposed stay within this range (px). */
  textSize: { min: number; max: number } | null;
  /** Left out of scenes whose shorter side is below this many pixels; null: always kept. */
  hideBelow: number | null;
}

/** Rules by element id (ids are unique across a template, so each scene's elements carry their own). */
export type RuleSet = Readonly<Record<string, ResizeRule>>;

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The rule an element gets until the designer changes it: pinned to the edges it is nearest, spanning what it spans. */
export function defaultRule(el: Element, scene: { width: number; height: number }): ResizeRule {
  const { x, y, width, height } = el.box;
  const cx = x + width / 2;
  const cy = y + height / 2;
  const horizontal: HorizontalPin = width >= scene.width * 0.9 ? 'stretch' : cx < scene.width / 3 ? 'left' : cx > (scene.width * 2) / 3 ? 'right' : 'center';
  const vertical: VerticalPin = height >= scene.height * 0.9 ? 'stretch' : cy < scene.height / 3 ? 'top' : cy > (scene.height * 2) / 3 ? 'bottom' : 'middle';
  const keepAspect = el.layer_type === 'logo' || el.layer_type === 'smartImage' || (el.layer_type === 'shape' && el.style.shape === 'ellipse');
  const textSize = el.layer_type === 'text' ? { min: Math.min(8, el.style.font_size.min), max: el.style.font_size.max } : null;
  // Body copy has no room in the thinnest banners (320×50, 728×90): left out there unless the designer keeps it.
  const hideBelow = el.layer_type === 'text' && el.content_type?.startsWith('Body #1') ? 120 : null;
  return { horizontal, vertical, keepAspect, textSize, hideBelow };
}

/** The rule in force for an element: the designer's, else the default. */
export function ruleFor(rules: RuleSet, el: Element, scene: { width: number; height: number }): ResizeRule {
  return rules[el.id] ?? defaultRule(el, scene);
}

interface Axis {
  /** Start and size in the source scene. */
  start: number;
  size: number;
  /** The source and target scene's extent on this axis. */
  from: number;
  to: number;
}

/** Start and size on one axis for a pin, the proposed size already chosen (unless stretched). */
function place(axis: Axis, pin: HorizontalPin | VerticalPin, size: number, margin: number): { start: number; size: number } {
  const before = axis.start * margin;
  const after = (axis.from - axis.start - axis.size) * margin;
  switch (pin) {
    case 'left':
    case 'top':
      return { start: before, size };
    case 'right':
    case 'bottom':
      return { start: axis.to - after - size, size };
    case 'center':
    case 'middle':
      // The centre keeps its relative place on the axis.
      return { start: ((axis.start + axis.size / 2) / axis.from) * axis.to - size / 2, size };
    case 'stretch':
      return { start: before, size: Math.max(1, axis.to - before - after) };
  }
}

/** The element's box (and text sizes) in a scene of `width` × `height`; null when its rule leaves it out there. */
export function proposeElement(el: Element, rule: ResizeRule, from: { width: number; height: number }, width: number, height: number): Element | null {
  if (rule.hideBelow !== null && Math.min(width, height) < rule.hideBelow) return null;
  const sx = width / from.width;
  const sy = height / from.height;
  const margin = Math.min(sx, sy);
  // Sizes follow the scene's area (a 1080² heading is not 8 % of itself in a 728×90 banner), capped by the scene below.
  const area = Math.sqrt(sx * sy);
  const b = el.box;
  let w = rule.horizontal === 'stretch' ? null : b.width * area;
  let h = rule.vertical === 'stretch' ? null : b.height * area;
  const x0 = place({ start: b.x, size: b.width, from: from.width, to: width }, rule.horizontal, w ?? 0, margin);
  const y0 = place({ start: b.y, size: b.height, from: from.height, to: height }, rule.vertical, h ?? 0, margin);
  w = x0.size;
  h = y0.size;
  if (rule.keepAspect) {
    const ratio = b.width / b.height;
    // A stretched axis sets the size; the other follows the aspect.
    if (rule.horizontal === 'stretch' && rule.vertical !== 'stretch') h = w / ratio;
    else if (rule.vertical === 'stretch' && rule.horizontal !== 'stretch') w = h * ratio;
    const fit = Math.min(1, width / w, height / h);
    w *= fit;
    h *= fit;
  } else {
    w = Math.min(w, width);
    h = Math.min(h, height);
  }
  // Re-place with the final size so the pinned edge keeps its margin, then keep the box inside the scene.
  const x = place({ start: b.x, size: b.width, from: from.width, to: width }, rule.horizontal === 'stretch' ? 'left' : rule.horizontal, w, margin).start;
  const y = place({ start: b.y, size: b.height, from: from.height, to: height }, rule.vertical === 'stretch' ? 'top' : rule.vertical, h, margin).start;
  const box = {
    ...b,
    width: round1(w),
    height: round1(h),
    x: round1(Math.max(0, Math.min(width - w, x))),
    y: round1(Math.max(0, Math.min(height - h, y))),
  };
  return withBox(el, rule, box);
}

/** The element in `box`; a text's sizes follow how much its box shrank on its tighter side, within the rule's range, at most one line's height. */
function withBox(el: Element, rule: ResizeRule, box: Element['box']): Element {
  if (el.layer_type !== 'text') return { ...el, box } as Element;
  const b = el.box;
  const factor = Math.min(box.width / b.width, box.height / b.height);
  const range = rule.textSize ?? { min: 1, max: 2000 };
  const lineHeight = el.style.line_height ?? 1.2;
  const oneLine = Math.max(1, Math.floor(box.height / lineHeight));
  const clamp = (v: number) => Math.max(range.min, Math.min(range.max, oneLine, v));
  const max = round1(clamp(el.style.font_size.max * factor));
  const min = round1(Math.min(max, clamp(el.style.font_size.min * factor)));
  return { ...el, box, style: { ...el.style, font_size: { max, min } } };
}

/**
 * The axis to lay elements side by side on when the scene changes shape a lot (a square to a 728×90 banner: 'x';
 * to a 160×600 skyscraper: 'y'), or null when it keeps roughly its shape (within a factor of 2).
 */
export function flowAxis(from: { width: number; height: number }, width: number, height: number): 'x' | 'y' | null {
  const before = from.width / from.height;
  const after = width / height;
  if (after / before >= 2) return 'x';
  if (before / after >= 2) return 'y';
  return null;
}

/**
 * Reflow for a scene that changed shape a lot: the elements not pinned to both ends of the long axis are put one
 * after another along it, with equal gaps, shrunk together when they do not fit; across it each keeps its own
 * pins. Elements that sat on another one in the source (their centre inside a larger element: a label on its
 * button, a product on its photo) move and scale with it as one group. The order is the source's reading order
 * across the long axis: rows top to bottom, each left to right, become left to right in a banner; columns left to
 * right, each top to bottom, become top to bottom in a skyscraper. Stacked in a square, they would overlap in a banner.
 */
function reflow(items: Array<{ source: Element; rule: ResizeRule; el: Element }>, axis: 'x' | 'y', from: { width: number; height: number }, width: number, height: number): void {
  const main = axis === 'x' ? 'width' : 'height';
  const cross = axis === 'x' ? 'height' : 'width';
  const crossPos = axis === 'x' ? 'y' : 'x';
  const flowing = items.filter((it) => (axis === 'x' ? it.rule.horizontal : it.rule.vertical) !== 'stretch');
  if (flowing.length < 2) return;
  const centre = (e: Element, a: 'x' | 'y') => (a === 'x' ? e.box.x + e.box.width / 2 : e.box.y + e.box.height / 2);
  const area = (e: Element) => e.box.width * e.box.height;
  const inside = (e: Element, p: { x: number; y: number }) => p.x >= e.box.x && p.x <= e.box.x + e.box.width && p.y >= e.box.y && p.y <= e.box.y + e.box.height;
  // Each element joins the smallest larger flowing element its centre lies on; the roots are the groups.
  const parent = new Map<(typeof flowing)[number], (typeof flowing)[number]>();
  for (const it of flowing) {
    const c = { x: centre(it.source, 'x'), y: centre(it.source, 'y') };
    const host = flowing.filter((o) => o !== it && area(o.source) > area(it.source) && inside(o.source, c)).sort((a, b) => area(a.source) - area(b.source))[0];
    if (host) parent.set(it, host);
  }
  const rootOf = (it: (typeof flowing)[number]) => {
    let r = it;
    for (let hops = 0; parent.has(r) && hops < flowing.length; hops++) r = parent.get(r)!;
    return r;
  };
  const groups = new Map<(typeof flowing)[number], Array<(typeof flowing)[number]>>();
  for (const it of flowing) groups.set(rootOf(it), [...(groups.get(rootOf(it)) ?? []), it]);
  // Reading order across the long axis: bands of a third of the source (rows for a banner, columns for a skyscraper).
  const other = axis === 'x' ? 'y' : 'x';
  const otherExtent = axis === 'x' ? from.height : from.width;
  const band = (e: Element) => Math.min(2, Math.floor((centre(e, other) / otherExtent) * 3));
  const roots = [...groups.keys()].sort((a, b) => band(a.source) - band(b.source) || centre(a.source, axis) - centre(b.source, axis));
  // Each group's proposed extent: the union of its members' proposed boxes.
  const unions = roots.map((r) => {
    const boxes = groups.get(r)!.map((m) => m.el.box);
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
  });
  const extent = axis === 'x' ? width : height;
  const minGap = Math.max(2, extent * 0.02);
  const sum = unions.reduce((n, u) => n + u[main], 0);
  const room = extent - minGap * (roots.length + 1);
  const k = sum > room ? room / sum : 1;
  const gap = (extent - sum * k) / (roots.length + 1);
  let at = gap;
  roots.forEach((root, gi) => {
    const u = unions[gi]!;
    const members = groups.get(root)!;
    // A lone element that may change its aspect shrinks along the flow only; a group or a fixed aspect scales as a whole.
    const uniform = members.length > 1 || root.rule.keepAspect;
    const start = Math.min(extent - u[main] * k, at);
    const uCross = u[crossPos] + u[cross] / 2;
    for (const m of members) {
      const b = { ...m.el.box };
      const offset = (axis === 'x' ? b.x : b.y) - (axis === 'x' ? u.x : u.y);
      const nb = { ...b };
      nb[main] = round1(b[main] * k);
      nb[axis] = round1(start + offset * k);
      if (uniform) {
        nb[cross] = round1(b[cross] * k);
        nb[crossPos] = round1(uCross + (b[crossPos] - uCross) * k);
      }
      m.el = withBox(m.source, m.rule, nb);
    }
    at = start + u[main] * k + gap;
  });
}

/** The id of an element's copy in a scene of that size (`s1-heading` → `s1-heading-728x90`), unused in the template. */
export function sizedId(id: string, width: number, height: number, taken: ReadonlySet<string>): string {
  const stem = id.replace(/-\d+x\d+(?:-\d+)?$/, '').slice(0, 48);
  let candidate = `${stem}-${width}x${height}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${stem}-${width}x${height}-${n}`;
  return candidate;
}

export interface ResizeOptions {
  /** Lay elements side by side when the scene changes shape a lot (see `flowAxis`); default true. */
  reflow?: boolean;
}

/** A new scene of `width` × `height` laid out from `source` by `rules`; element ids are fresh (not in `taken`, which it extends). */
export function proposeScene(source: Scene, rules: RuleSet, width: number, height: number, taken: Set<string>, opts: ResizeOptions = {}): { scene: Scene; rules: Record<string, ResizeRule> } {
  const items: Array<{ source: Element; rule: ResizeRule; el: Element }> = [];
  for (const el of source.elements) {
    const rule = ruleFor(rules, el, source);
    const proposed = proposeElement(el, rule, source, width, height);
    if (proposed) items.push({ source: el, rule, el: proposed });
  }
  const axis = opts.reflow === false ? null : flowAxis(source, width, height);
  if (axis) reflow(items, axis, source, width, height);
  const elements: Element[] = [];
  const out: Record<string, ResizeRule> = {};
  for (const { el, rule } of items) {
    const id = sizedId(el.id, width, height, taken);
    taken.add(id);
    elements.push({ ...el, id });
    // The copy starts with the source's rule; from here on it is this scene's own.
    out[id] = rule;
  }
  return { scene: { name: sceneName(width, height), width, height, background: source.background, elements }, rules: out };
}

export interface ResizeResult {
  template: TemplateDocument;
  rules: Record<string, ResizeRule>;
  /** Sizes given a proposed scene, and sizes left as they were because the template already had one (with its own edits). */
  added: Array<{ width: number; height: number }>;
  kept: Array<{ width: number; height: number }>;
}

/**
 * Adds a proposed scene for every size the template does not have yet, from scene `sourceIndex`. Scenes the
 * template already has keep their own layout: resizing again never overwrites what the designer adjusted.
 */
export function resizeToAll(template: TemplateDocument, sourceIndex: number, rules: RuleSet, sizes: ReadonlyArray<{ width: number; height: number }>, opts: ResizeOptions = {}): ResizeResult {
  const source = template.scenes[sourceIndex];
  if (!source) throw new Error(`the template has no scene ${sourceIndex + 1}`);
  const taken = new Set(template.scenes.flatMap((s) => s.elements.map((e) => e.id)));
  const scenes = template.scenes.slice();
  const allRules: Record<string, ResizeRule> = { ...rules };
  const added: ResizeResult['added'] = [];
  const kept: ResizeResult['kept'] = [];
  for (const size of sizes) {
    if (scenes.some((s) => s.width === size.width && s.height === size.height)) {
      kept.push({ width: size.width, height: size.height });
      continue;
    }
    if (scenes.length >= 50) break;
    const proposed = proposeScene(source, rules, size.width, size.height, taken, opts);
    scenes.push(proposed.scene);
    Object.assign(allRules, proposed.rules);
    added.push({ width: size.width, height: size.height });
  }
  return { template: { ...template, scenes }, rules: allRules, added, kept };
}
