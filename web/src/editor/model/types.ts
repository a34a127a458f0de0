/**
 * The editor's document model: plain data, no DOM, no engine calls, so it runs
 * (and is tested) in Node as well as in the browser.
 */
import type { Box, Element, Scene } from '../../../../src/engine/model/template.js';

export type { Box, Element, Scene };

/** An element override as a generate request sends it (the engine's ContentOverride). */
export interface ElementInput {
  layer_type?: string;
  content_type?: string | null;
  content: string;
  id?: string;
}

/**
 * One scene being edited. `scene` is the scene document the server re-renders
 * (layout and style; elements in paint order; an element's `locked` flag is part
 * of it, so Save keeps it). Per-element content edits and hidden flags live
 * beside it, keyed by element id, because the template schema has no place for
 * them: they travel to the server as element overrides by id (`""` hides).
 */
export interface EditorDoc {
  scene: Scene;
  /** Content set in the editor, by element id (wins over the job's slot inputs). */
  content: Readonly<Record<string, string>>;
  hidden: Readonly<Record<string, true>>;
}

export type Path = readonly (string | number)[];

/**
 * One reversible edit of the document. `undefined` in a set means "absent"
 * (the key is deleted), which is how hide/content entries and lock flags come and go.
 */
export type Op =
  | { kind: 'set'; path: Path; before: unknown; after: unknown }
  | { kind: 'insert'; path: Path; index: number; value: unknown }
  | { kind: 'remove'; path: Path; index: number; value: unknown }
  | { kind: 'move'; path: Path; from: number; to: number };

/** What one command did, as patches (never a copy of the document); undo applies the inverse. */
export interface Change {
  label: string;
  ops: Op[];
  /** Changes carrying the same gesture id (one drag, one typing burst) merge into one undo step. */
  gesture?: string;
}

/** An axis-aligned rectangle in scene pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A snapping guide line in scene pixels: vertical at x from y1 to y2, or horizontal at y from x1 to x2. */
export type Guide = { axis: 'x'; at: number; from: number; to: number } | { axis: 'y'; at: number; from: number; to: number };

export type Handle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];
