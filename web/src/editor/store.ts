/**
 * The editor's state as signals, and the actions the UI, the keyboard and the
 * host page call. Every edit goes through `dispatch` (a Change recorded in the
 * History); the canvas re-renders from `doc`.
 */
import { batch, computed, signal, type Signal } from '@preact/signals';
import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../../src/engine/model/template.js';
import { ApiError, type EditorApi, type Session } from './api.js';
import type { CanvasStore } from './canvas-store.js';
import { SelectionStore } from './selection-store.js';
import type { EditorEvent } from './embed.js';
import { duplicate, editable, setImage } from './model/commands.js';
import { applyToAllInput, editedTemplate, effectiveContent, loadDoc, renderElements, templateIds } from './model/document.js';
import { History } from './model/history.js';
import type { Change, EditorDoc, Element, ElementInput } from './model/types.js';

export type Status = { kind: 'info' | 'success' | 'error' | 'conflict'; text: string } | null;

/** What the engine measured on the last render: element boxes and text lines for the overlay. */
export interface Rendered {
  boxes: Map<string, Required<Element['box']>>;
  texts: Map<
    string,
    { font: string; fontSize: number; letterSpacingPx: number; lineHeightPx: number; align: string; transform: string; firstBaseline: number | null; direction: 'ltr' | 'rtl' }
  >;
  ms: number;
  warnings: string[];
}

export class EditorStore extends SelectionStore implements CanvasStore {
  readonly template: TemplateDocument;
  readonly brand: BrandDocument | null;
  /** 0-based. */
  readonly sceneIndex: number;
  readonly inputs: ElementInput[];
  readonly history = new History();

  readonly doc: Signal<EditorDoc>;
  readonly rendered = signal<Rendered | null>(null);
  readonly status = signal<Status>(null);
  /** Why the last render failed (the canvas keeps the last good frame); null once a render succeeds. */
  readonly renderError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly zoom = signal(1);
  /** Bumped whenever the history changes, so computed values re-read it. */
  private readonly tick = signal(0);
  private readonly savedMark = signal(0);
  private baseRevision: number;

  readonly dirty = computed(() => {
    void this.tick.value;
    return this.history.mark !== this.savedMark.value;
  });
  readonly canUndo = computed(() => (void this.tick.value, this.history.canUndo));
  readonly canRedo = computed(() => (void this.tick.value, this.history.canRedo));

  constructor(
    readonly session: Session,
    private readonly api: EditorApi,
    private readonly notify: (event: EditorEvent) => void,
  ) {
    super();
    this.template = session.template;
    this.brand = session.brand;
    this.sceneIndex = session.scene - 1;
    const loaded = loadDoc(session.template, this.sceneIndex, session.elements, session.edit);
    this.inputs = loaded.inputs;
    this.doc = signal(loaded.doc);
    this.baseRevision = session.edit?.revision ?? 0;
  }

  get scene() {
    return this.doc.value.scene;
  }

  /** What the engine draws: the template with this scene edited, and the overrides. */
  renderInput() {
    const doc = this.doc.value;
    const template = editedTemplate(this.template, this.sceneIndex, doc);
    return { template, brand: this.brand, elements: renderElements(template, doc, this.inputs), sceneIndex: this.sceneIndex };
  }

  contentOf(el: Element): string {
    return effectiveContent(this.doc.value, this.inputs, el);
  }

  /** Whether the host was last told the editor is dirty (null: not told yet). */
  private toldDirty: boolean | null = null;
  /** Set while a gesture's changes have not been announced to the host yet. */
  private gestureUntold = false;

  /**
   * Re-reads the history and tells the host `adsmith:change`: after every step, and during a
   * gesture (a drag sends a change per pointer move) only when dirty flips; the rest when it ends.
   */
  private bump(inGesture = false): void {
    this.tick.value++;
    const dirty = this.history.mark !== this.savedMark.value;
    if (inGesture && dirty === this.toldDirty) {
      this.gestureUntold = true;
      return;
    }
    this.gestureUntold = false;
    this.toldDirty = dirty;
    this.notify({ type: 'adsmith:change', dirty });
  }

  dispatch(change: Change | null): void {
    if (!change) return;
    batch(() => {
      this.doc.value = this.history.record(this.doc.value, change);
      this.pruneSelection();
      this.bump(change.gesture !== undefined);
    });
  }

  /** Ends a drag or typing burst: the next edit is a new undo step. */
  seal(): void {
    this.history.seal();
    if (this.gestureUntold) this.bump();
    else this.tick.value++;
  }

  undo(): void {
    const next = this.history.undo(this.doc.value);
    if (!next) return;
    batch(() => {
      this.doc.value = next;
      this.pruneSelection();
      this.bump();
    });
  }

  redo(): void {
    const next = this.history.redo(this.doc.value);
    if (!next) return;
    batch(() => {
      this.doc.value = next;
      this.pruneSelection();
      this.bump();
    });
  }

  duplicateSelection(): void {
    const doc = this.doc.value;
    const res = duplicate(doc, editable(doc, this.selection.value), templateIds(this.template, doc));
    if (!res) return;
    this.dispatch(res.change);
    this.selection.value = res.ids;
  }

  async replaceImage(id: string, source: File | string): Promise<void> {
    try {
      let url: string;
      if (typeof source === 'string') {
        const trimmed = source.trim();
        if (!/^https?:\/\//i.test(trimmed)) throw new ApiError(0, 'BAD_URL', 'Enter an image address starting with http:// or https://.');
        url = trimmed;
      } else {
        this.status.value = { kind: 'info', text: `Uploading ${source.name}…` };
        url = (await this.api.upload(source)).url;
      }
      this.dispatch(setImage(this.doc.value, id, url));
      this.status.value = { kind: 'success', text: 'Image replaced.' };
    } catch (err) {
      this.fail(err);
    }
  }

  /** A render that failed: shown over the canvas (not in the status line, where a save's outcome stays) and told to the host once. */
  renderFailed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.renderError.value === message) return;
    this.renderError.value = message;
    const code = (err as { code?: unknown }).code;
    this.notify({ type: 'adsmith:error', code: typeof code === 'string' ? code : 'ADS_EDITOR_RENDER_FAILED', message });
  }

  /** Surfaces an error in the status bar and to the host page. */
  fail(err: unknown): void {
    const e = err instanceof ApiError ? err : new ApiError(0, 'EDITOR_ERROR', err instanceof Error ? err.message : String(err));
    this.status.value = { kind: 'error', text: e.message };
    this.notify({ type: 'adsmith:error', code: e.code, message: e.message });
  }

  /**
   * Saves this scene as a new revision (re-rendered on the server with the same
   * engine). On a conflict or any failure the edits stay and the bar says why.
   */
  async save(): Promise<void> {
    if (this.saving.value) return;
    this.seal();
    this.editingText.value = null;
    this.saving.value = true;
    this.status.value = { kind: 'info', text: 'Saving…' };
    const mark = this.history.mark;
    try {
      const { template, elements } = this.renderInput();
      const saved = await this.api.save(this.baseRevision, template.scenes[this.sceneIndex]!, elements);
      this.baseRevision = saved.revision;
      batch(() => {
        this.savedMark.value = mark;
        this.status.value = { kind: 'success', text: `Saved (revision ${saved.revision}).` };
      });
      this.notify({ type: 'adsmith:saved', scene_id: saved.scene_id, url: saved.url, width: saved.width, height: saved.height, revision: saved.revision });
      this.bump();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.status.value = { kind: 'conflict', text: 'This scene was changed elsewhere; reload to see the newer version. Your edits are kept here until you do.' };
        this.notify({ type: 'adsmith:error', code: err.code, message: err.message });
      } else {
        const why = err instanceof Error ? err.message : String(err);
        this.fail(new ApiError(err instanceof ApiError ? err.status : 0, err instanceof ApiError ? err.code : 'SAVE_FAILED', `Not saved: ${why} Your edits are kept.`));
      }
    } finally {
      this.saving.value = false;
    }
  }

  /** "Apply to all sizes": this element's content (heading, body, image) to every scene of the job, each re-rendered on the server. */
  async applyToAll(el: Element): Promise<void> {
    const input = applyToAllInput(this.doc.value, this.inputs, el);
    if (!input) return;
    this.status.value = { kind: 'info', text: `Applying ${el.content_type} to every size…` };
    try {
      const res = await this.api.applyToAll([input]);
      const mine = res.scenes.find((s) => s.scene === this.sceneIndex + 1);
      if (mine) this.baseRevision = mine.revision;
      this.status.value = { kind: 'success', text: `${el.content_type} applied to ${res.scenes.length} sizes.` };
    } catch (err) {
      this.fail(err);
    }
  }
}
