/**
 * What the canvas, the Layers and Properties panels, the in-place text editor
 * and the keyboard need from a store. The editor (one scene of a job) and the
 * template designer (every scene of a template) each implement it, so both
 * pages use the same UI parts.
 */
import type { ReadonlySignal, Signal } from '@preact/signals';
import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { RenderInput } from './renderer.js';
import type { Rendered, Status } from './store.js';
import type { EditorDoc, Element, Guide, Rect, Scene } from './model/types.js';
import type { NudgeKey } from './model/commands.js';
import type { Change } from './model/types.js';

export interface CanvasStore {
  readonly doc: Signal<EditorDoc>;
  readonly selection: Signal<string[]>;
  readonly hovered: Signal<string | null>;
  readonly guides: Signal<Guide[]>;
  readonly marquee: Signal<Rect | null>;
  readonly editingText: Signal<string | null>;
  readonly rendered: Signal<Rendered | null>;
  readonly renderError: Signal<string | null>;
  readonly status: Signal<Status>;
  readonly saving: Signal<boolean>;
  readonly zoom: Signal<number>;
  readonly selected: ReadonlySignal<Element[]>;
  readonly dirty: ReadonlySignal<boolean>;
  readonly canUndo: ReadonlySignal<boolean>;
  readonly canRedo: ReadonlySignal<boolean>;
  /** The brand the scene is drawn with (its roles are offered as swatches and fonts); null: none. */
  readonly brand: BrandDocument | null;
  readonly scene: Scene;
  dispatch(change: Change | null): void;
  seal(): void;
  undo(): void;
  redo(): void;
  select(ids: string[], additive?: boolean): void;
  deselect(): void;
  nudge(key: NudgeKey, shift: boolean): void;
  deleteSelection(): void;
  duplicateSelection(): void;
  contentOf(el: Element): string;
  replaceImage(id: string, source: File | string): Promise<void>;
  save(): Promise<void>;
  renderInput(): Omit<RenderInput, 'scale'>;
  renderFailed(err: unknown): void;
  /** "Apply to all sizes" of a job's content; absent where there is no job (the designer). */
  applyToAll?: (el: Element) => Promise<void>;
}
