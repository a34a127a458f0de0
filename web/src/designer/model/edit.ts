/**
 * Designer edits of one scene as editor Changes (so the editor's History
 * undoes them): add an element, set its slot, and set any field of its style
 * (text fit: sizes, lines, alignment; brand roles), beyond the few style keys
 * the job editor exposes.
 */
import type { Change, EditorDoc, Element } from '../../editor/model/types.js';

const ELEMENTS = ['scene', 'elements'] as const;

export function addElement(doc: EditorDoc, el: Element): Change {
  return { label: `Add ${el.layer_type}`, ops: [{ kind: 'insert', path: ELEMENTS, index: doc.scene.elements.length, value: el }] };
}

/** A field of an element by path (`['content_type']`, `['style', 'font_size', 'max']`); undefined removes it. */
export function setField(doc: EditorDoc, id: string, path: readonly (string | number)[], value: unknown, label = 'Edit'): Change | null {
  const i = doc.scene.elements.findIndex((e) => e.id === id);
  if (i < 0) return null;
  let before: unknown = doc.scene.elements[i];
  for (const key of path) before = before && typeof before === 'object' ? (before as Record<string | number, unknown>)[key] : undefined;
  if (JSON.stringify(before) === JSON.stringify(value)) return null;
  return { label, ops: [{ kind: 'set', path: [...ELEMENTS, i, ...path], before, after: value }] };
}

/** The scene document with edited texts folded into each element's own content (what the template stores). */
export function foldContent(doc: EditorDoc): EditorDoc['scene'] {
  const edited = Object.keys(doc.content);
  if (edited.length === 0) return doc.scene;
  return { ...doc.scene, elements: doc.scene.elements.map((el) => (doc.content[el.id] !== undefined ? ({ ...el, content: doc.content[el.id]! } as Element) : el)) };
}
