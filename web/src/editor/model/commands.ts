/**
 * Editor commands. Each reads the current document and answers a Change
 * (patches with what was there before), or null when it would do nothing.
 * The History applies and records it; undo applies its inverse.
 */
import { round } from './geometry.js';
import type { Box, Change, EditorDoc, Element, Op } from './types.js';

const ELEMENTS = ['scene', 'elements'] as const;

export function indexOf(doc: EditorDoc, id: string): number {
  return doc.scene.elements.findIndex((el) => el.id === id);
}

export function elementById(doc: EditorDoc, id: string): Element | undefined {
  return doc.scene.elements.find((el) => el.id === id);
}

/** Whether the element is locked (the flag is saved in the scene document). */
export function isLocked(doc: EditorDoc, id: string): boolean {
  return elementById(doc, id)?.locked === true;
}

/** Ids among `ids` that exist and are not locked (what transform and delete act on). */
export function editable(doc: EditorDoc, ids: readonly string[]): string[] {
  return ids.filter((id) => indexOf(doc, id) >= 0 && !isLocked(doc, id));
}

function change(label: string, ops: Op[], gesture?: string): Change | null {
  if (ops.length === 0) return null;
  return gesture === undefined ? { label, ops } : { label, ops, gesture };
}

function setBoxOp(doc: EditorDoc, id: string, box: Box): Op | null {
  const i = indexOf(doc, id);
  if (i < 0) return null;
  const before = doc.scene.elements[i]!.box;
  const after: Box = { ...before, ...box };
  if (after.rotation === 0 && before.rotation === undefined) delete after.rotation;
  return { kind: 'set', path: [...ELEMENTS, i, 'box'], before, after };
}

/** Sets boxes (a move, resize or rotate computed by the UI from the gesture's start). */
export function setBoxes(doc: EditorDoc, boxes: ReadonlyMap<string, Box>, label: string, gesture?: string): Change | null {
  const ops: Op[] = [];
  for (const [id, box] of boxes) {
    if (isLocked(doc, id)) continue;
    const op = setBoxOp(doc, id, box);
    if (op) ops.push(op);
  }
  return change(label, ops, gesture);
}

/** Moves elements from where a drag started by (dx, dy). */
export function moveFrom(doc: EditorDoc, starts: ReadonlyMap<string, Box>, dx: number, dy: number, gesture?: string): Change | null {
  const boxes = new Map<string, Box>();
  for (const [id, b] of starts) boxes.set(id, { ...b, x: round(b.x + dx), y: round(b.y + dy) });
  return setBoxes(doc, boxes, 'Move', gesture);
}

export type NudgeKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/** Arrow keys: 1 px, 10 px with shift. */
export function nudge(doc: EditorDoc, ids: readonly string[], key: NudgeKey, shift: boolean): Change | null {
  const step = shift ? 10 : 1;
  const dx = key === 'ArrowLeft' ? -step : key === 'ArrowRight' ? step : 0;
  const dy = key === 'ArrowUp' ? -step : key === 'ArrowDown' ? step : 0;
  const starts = new Map<string, Box>();
  for (const id of editable(doc, ids)) starts.set(id, elementById(doc, id)!.box);
  const c = moveFrom(doc, starts, dx, dy);
  return c && { ...c, label: 'Nudge' };
}

export function resize(doc: EditorDoc, id: string, box: Box, gesture?: string): Change | null {
  const c = setBoxes(doc, new Map([[id, box]]), 'Resize', gesture);
  return c;
}

export function rotate(doc: EditorDoc, id: string, degrees: number, gesture?: string): Change | null {
  const el = elementById(doc, id);
  if (!el) return null;
  return setBoxes(doc, new Map([[id, { ...el.box, rotation: degrees }]]), 'Rotate', gesture);
}

function setEntry(doc: EditorDoc, table: 'content' | 'hidden', id: string, value: unknown): Op | null {
  const before = (doc[table] as Record<string, unknown>)[id];
  if (before === value) return null;
  return { kind: 'set', path: [table, id], before, after: value };
}

/** Text of a text element; typing passes one gesture id so a burst of keys is one undo step. */
export function setText(doc: EditorDoc, id: string, text: string, gesture?: string): Change | null {
  const el = elementById(doc, id);
  if (!el || el.layer_type !== 'text') return null;
  const op = setEntry(doc, 'content', id, text);
  return change('Edit text', op ? [op] : [], gesture);
}

/** A new image for an image or smart-image element (an uploaded file's URL or any URL). */
export function setImage(doc: EditorDoc, id: string, url: string): Change | null {
  const el = elementById(doc, id);
  if (!el || (el.layer_type !== 'image' && el.layer_type !== 'smartImage')) return null;
  const op = setEntry(doc, 'content', id, url);
  return change('Replace image', op ? [op] : []);
}

/** Which style keys each layer type lets the properties panel set. */
const STYLE_KEYS: Record<Element['layer_type'], readonly string[]> = {
  text: ['color', 'font_family', 'font_weight', 'align'],
  shape: ['fill'],
  logo: ['variant', 'logo'],
  image: ['background'],
  smartImage: ['background'],
};

/** One style property (colour or font from the brand kit, logo variant, …); undefined removes it. */
export function setStyle(doc: EditorDoc, id: string, key: string, value: string | number | undefined): Change | null {
  const i = indexOf(doc, id);
  const el = doc.scene.elements[i];
  if (!el || !STYLE_KEYS[el.layer_type].includes(key)) return null;
  const before = (el.style as Record<string, unknown>)[key];
  if (before === value) return null;
  return change('Style', [{ kind: 'set', path: [...ELEMENTS, i, 'style', key], before, after: value }]);
}

export function setLogoVariant(doc: EditorDoc, id: string, variant: 'auto' | 'on_light' | 'on_dark'): Change | null {
  const c = setStyle(doc, id, 'variant', variant);
  return c && { ...c, label: 'Logo variant' };
}

/** Moves an element to a paint position (0 = bottom); elements are kept in paint order. */
export function reorder(doc: EditorDoc, id: string, to: number): Change | null {
  const from = indexOf(doc, id);
  const last = doc.scene.elements.length - 1;
  const target = Math.max(0, Math.min(last, to));
  if (from < 0 || from === target) return null;
  return change('Reorder', [{ kind: 'move', path: ELEMENTS, from, to: target }]);
}

export function setHidden(doc: EditorDoc, ids: readonly string[], hidden: boolean): Change | null {
  const ops = ids.map((id) => setEntry(doc, 'hidden', id, hidden ? true : undefined)).filter((o): o is Op => o !== null);
  return change(hidden ? 'Hide' : 'Show', ops);
}

/** Sets or clears the element's `locked` flag in the scene document (absent when unlocked, so Save writes it only when true). */
export function setLocked(doc: EditorDoc, ids: readonly string[], locked: boolean): Change | null {
  const ops: Op[] = [];
  for (const id of ids) {
    const i = indexOf(doc, id);
    if (i < 0 || isLocked(doc, id) === locked) continue;
    ops.push({ kind: 'set', path: [...ELEMENTS, i, 'locked'], before: doc.scene.elements[i]!.locked, after: locked ? true : undefined });
  }
  return change(locked ? 'Lock' : 'Unlock', ops);
}

/** Deletes unlocked elements, with their content and hidden entries (undo restores all). */
export function deleteElements(doc: EditorDoc, ids: readonly string[]): Change | null {
  const targets = editable(doc, ids)
    .map((id) => ({ id, index: indexOf(doc, id) }))
    .sort((a, b) => b.index - a.index);
  const ops: Op[] = [];
  for (const { id, index } of targets) {
    ops.push({ kind: 'remove', path: ELEMENTS, index, value: doc.scene.elements[index] });
    for (const table of ['content', 'hidden'] as const) {
      const op = setEntry(doc, table, id, undefined);
      if (op) ops.push(op);
    }
  }
  return change('Delete', ops);
}

/** An id not used anywhere in the template (ids are unique across all its scenes). */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/-copy(?:-\d+)?$/, '').slice(0, 54);
  for (let n = 1; ; n++) {
    const id = n === 1 ? `${stem}-copy` : `${stem}-copy-${n}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * Copies elements (each right above its original, 10 px down-right), with the
 * original's edited content. `taken` holds every id of the template.
 */
export function duplicate(doc: EditorDoc, ids: readonly string[], taken: ReadonlySet<string>): { change: Change; ids: string[] } | null {
  const used = new Set(taken);
  for (const el of doc.scene.elements) used.add(el.id);
  const sources = ids
    .map((id) => ({ id, index: indexOf(doc, id) }))
    .filter((s) => s.index >= 0)
    .sort((a, b) => a.index - b.index);
  const ops: Op[] = [];
  const created: string[] = [];
  let shift = 0;
  for (const { id, index } of sources) {
    const original = doc.scene.elements[index]!;
    const newId = freshId(id, used);
    used.add(newId);
    const copy = {
      ...structuredClone(original),
      id: newId,
      ...(original.name ? { name: `${original.name} copy`.slice(0, 120) } : {}),
      box: { ...original.box, x: round(original.box.x + 10), y: round(original.box.y + 10) },
    } as Element;
    ops.push({ kind: 'insert', path: ELEMENTS, index: index + 1 + shift, value: copy });
    shift++;
    const content = doc.content[id];
    if (content !== undefined) ops.push({ kind: 'set', path: ['content', newId], before: undefined, after: content });
    created.push(newId);
  }
  const c = change('Duplicate', ops);
  return c ? { change: c, ids: created } : null;
}
