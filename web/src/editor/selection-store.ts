/**
 * The selection half of a CanvasStore, the same in the editor (one scene of a job) and the designer (every
 * scene of a template): which elements are selected, which text is being edited, the view state the canvas
 * draws over the scene, and the commands that act on the selection. Each store supplies its document and
 * how a change is applied (its own history).
 */
import { batch, computed, signal, type Signal } from '@preact/signals';
import { deleteElements, elementById, nudge, type NudgeKey } from './model/commands.js';
import type { Change, EditorDoc, Element, Guide, Rect } from './model/types.js';

export abstract class SelectionStore {
  abstract readonly doc: Signal<EditorDoc>;
  readonly selection = signal<string[]>([]);
  readonly editingText = signal<string | null>(null);
  readonly hovered = signal<string | null>(null);
  readonly guides = signal<Guide[]>([]);
  readonly marquee = signal<Rect | null>(null);
  readonly selected = computed(() => this.selection.value.map((id) => elementById(this.doc.value, id)).filter((e): e is Element => !!e));

  abstract dispatch(change: Change | null): void;

  /** Drops selected or edited ids the document no longer has (after undo, redo, a scene switch). */
  protected pruneSelection(): void {
    const ids = new Set(this.doc.value.scene.elements.map((e) => e.id));
    const kept = this.selection.value.filter((id) => ids.has(id));
    if (kept.length !== this.selection.value.length) this.selection.value = kept;
    if (this.editingText.value && !ids.has(this.editingText.value)) this.editingText.value = null;
  }

  /** Selects `ids`; additive (shift-click) toggles each of them in the current selection instead. */
  select(ids: string[], additive = false): void {
    if (!additive) {
      this.selection.value = ids;
      return;
    }
    const current = new Set(this.selection.value);
    for (const id of ids) {
      if (current.has(id)) current.delete(id);
      else current.add(id);
    }
    this.selection.value = [...current];
  }

  deselect(): void {
    batch(() => {
      this.selection.value = [];
      this.editingText.value = null;
    });
  }

  nudge(key: NudgeKey, shift: boolean): void {
    this.dispatch(nudge(this.doc.value, this.selection.value, key, shift));
  }

  deleteSelection(): void {
    this.dispatch(deleteElements(this.doc.value, this.selection.value));
  }
}
