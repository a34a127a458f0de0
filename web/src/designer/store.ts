/**
 * The designer's state: a template being made (every scene, each with its own
 * undo history), the scene on the canvas, the preview brand and content, the
 * resize rules, and saving through the API as versions. It is a CanvasStore,
 * so the editor's canvas, Layers and Properties panels work on it unchanged.
 */
import { batch, computed, signal, type Signal } from '@preact/signals';
import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { Element, LayerType, TemplateDocument } from '../../../src/engine/model/template.js';
import type { CanvasStore } from '../editor/canvas-store.js';
import { SelectionStore } from '../editor/selection-store.js';
import { duplicate, editable, setImage } from '../editor/model/commands.js';
import { normalizeScene } from '../editor/model/document.js';
import { History } from '../editor/model/history.js';
import type { Change, EditorDoc } from '../editor/model/types.js';
import type { Rendered, Status } from '../editor/store.js';
import { AdsmithError, type Adsmith } from '../playground/api.js';
import { addElement, foldContent } from './model/edit.js';
import { blankScene, idsOf, newElement, nextId } from './model/template.js';
import { locateProblem, parseServerProblem, type LocatedProblem } from './model/problems.js';
import { previewInputs, type PreviewContent } from './model/preview.js';
import { resizeToAll, type ResizeOptions, type ResizeRule, type RuleSet } from './model/resize.js';
import { validateTemplate } from './model/validate.js';

/** Template-level fields (everything but the scenes). */
export type TemplateMeta = Omit<TemplateDocument, 'scenes'>;

function docOf(scene: TemplateDocument['scenes'][number]): EditorDoc {
  return { scene: normalizeScene(scene), content: {}, hidden: {} };
}

/** Resize rules are not part of the template schema: they live in this browser, by template id. */
const RULES_KEY = (id: number | null) => `adsmith.designer.rules.${id ?? 'new'}`;
function loadRules(id: number | null): Record<string, ResizeRule> {
  try {
    return JSON.parse(localStorage.getItem(RULES_KEY(id)) ?? '{}') as Record<string, ResizeRule>;
  } catch {
    return {};
  }
}

export class DesignerStore extends SelectionStore implements CanvasStore {
  /** The stored template's id (null until the first save) and the version opened or last saved. */
  readonly id = signal<number | null>(null);
  readonly version = signal<number | null>(null);
  readonly meta: Signal<TemplateMeta>;
  /** Every scene's document; the active one lives in `doc` while it is on the canvas. */
  private docs: EditorDoc[];
  private histories: History[];
  readonly sceneSizes: Signal<Array<{ name: string; width: number; height: number }>>;
  readonly active = signal(0);

  readonly doc: Signal<EditorDoc>;
  readonly rendered = signal<Rendered | null>(null);
  readonly renderError = signal<string | null>(null);
  readonly status = signal<Status>(null);
  readonly saving = signal(false);
  readonly zoom = signal(1);
  readonly previewBrand = signal<BrandDocument | null>(null);
  readonly previewContent = signal<PreviewContent>('template');
  readonly rules = signal<Record<string, ResizeRule>>({});
  /** The last validation problem (import, save): shown with the element selected. */
  readonly problem = signal<LocatedProblem | null>(null);

  private readonly tick = signal(0);
  private readonly savedJson = signal('');

  readonly template = computed<TemplateDocument>(() => {
    void this.tick.value;
    const doc = this.doc.value;
    const active = this.active.value;
    return { ...this.meta.value, scenes: this.docs.map((d, i) => foldContent(i === active ? doc : d)) };
  });
  readonly dirty = computed(() => JSON.stringify(this.template.value) !== this.savedJson.value);
  readonly canUndo = computed(() => (void this.tick.value, void this.doc.value, this.histories[this.active.value]!.canUndo));
  readonly canRedo = computed(() => (void this.tick.value, void this.doc.value, this.histories[this.active.value]!.canRedo));

  constructor(
    template: TemplateDocument,
    private readonly client: Adsmith,
    stored: { id: number; version: number } | null,
  ) {
    super();
    const { scenes, ...meta } = template;
    this.meta = signal(meta);
    this.docs = scenes.map(docOf);
    this.histories = scenes.map(() => new History());
    this.doc = signal(this.docs[0]!);
    this.sceneSizes = signal(scenes.map((s) => ({ name: s.name, width: s.width, height: s.height })));
    this.id.value = stored?.id ?? null;
    this.version.value = stored?.version ?? null;
    this.rules.value = loadRules(this.id.value);
    this.savedJson.value = stored ? JSON.stringify(this.template.value) : '';
  }

  get brand(): BrandDocument | null {
    return this.previewBrand.value;
  }

  get scene() {
    return this.doc.value.scene;
  }

  /** What the engine draws for scene `index` (default: the active one): the whole template, the preview content and hidden elements. */
  renderInput(index = this.active.value) {
    const template = this.template.value;
    const hidden = Object.keys(index === this.active.value ? this.doc.value.hidden : this.docs[index]!.hidden).map((id) => ({ id, content: '' }));
    return { template, brand: this.previewBrand.value, elements: [...previewInputs(template, this.previewContent.value), ...hidden], sceneIndex: index };
  }

  contentOf(el: Element): string {
    return this.doc.value.content[el.id] ?? el.content;
  }

  private bump(): void {
    this.tick.value++;
  }

  dispatch(change: Change | null): void {
    if (!change) return;
    batch(() => {
      this.doc.value = this.histories[this.active.value]!.record(this.doc.value, change);
      this.pruneSelection();
      this.bump();
    });
  }

  seal(): void {
    this.histories[this.active.value]!.seal();
    this.bump();
  }

  undo(): void {
    const next = this.histories[this.active.value]!.undo(this.doc.value);
    if (next) batch(() => ((this.doc.value = next), this.pruneSelection(), this.bump()));
  }

  redo(): void {
    const next = this.histories[this.active.value]!.redo(this.doc.value);
    if (next) batch(() => ((this.doc.value = next), this.pruneSelection(), this.bump()));
  }

  duplicateSelection(): void {
    const doc = this.doc.value;
    const res = duplicate(doc, editable(doc, this.selection.value), idsOf(this.template.value));
    if (!res) return;
    this.dispatch(res.change);
    this.selection.value = res.ids;
  }

  /** An image by upload (a file of the organisation, POST /v1/files) or by address, as the element's default content. */
  async replaceImage(id: string, source: File | string): Promise<void> {
    try {
      let url: string;
      if (typeof source === 'string') {
        const trimmed = source.trim();
        if (!/^https?:\/\//i.test(trimmed)) throw new Error('Enter an image address starting with http:// or https://.');
        url = trimmed;
      } else {
        this.status.value = { kind: 'info', text: `Uploading ${source.name}…` };
        url = (await this.client.files.upload(source, { filename: source.name })).url;
      }
      this.dispatch(setImage(this.doc.value, id, url));
      this.status.value = { kind: 'success', text: 'Image set.' };
    } catch (err) {
      this.status.value = { kind: 'error', text: `The image was not set: ${(err as Error).message}` };
    }
  }

  renderFailed(err: unknown): void {
    this.renderError.value = err instanceof Error ? err.message : String(err);
  }

  /** Puts the active scene's document back and shows scene `index`, with its own history. */
  showScene(index: number): void {
    if (index === this.active.value || !this.docs[index]) return;
    batch(() => {
      this.docs[this.active.value] = this.doc.value;
      this.active.value = index;
      this.doc.value = this.docs[index]!;
      this.selection.value = [];
      this.editingText.value = null;
      this.rendered.value = null;
      this.bump();
    });
  }

  private syncSizes(): void {
    this.sceneSizes.value = this.docs.map((d, i) => {
      const s = i === this.active.value ? this.doc.value.scene : d.scene;
      return { name: s.name, width: s.width, height: s.height };
    });
  }

  addScene(width: number, height: number): void {
    this.docs[this.active.value] = this.doc.value;
    this.docs.push(docOf(blankScene(width, height)));
    this.histories.push(new History());
    this.syncSizes();
    this.showScene(this.docs.length - 1);
  }

  removeScene(index: number): void {
    if (this.docs.length <= 1) return;
    this.docs[this.active.value] = this.doc.value;
    this.docs.splice(index, 1);
    this.histories.splice(index, 1);
    const next = Math.min(this.active.value >= index ? Math.max(0, this.active.value - 1) : this.active.value, this.docs.length - 1);
    batch(() => {
      this.active.value = next;
      this.doc.value = this.docs[next]!;
      this.selection.value = [];
      this.syncSizes();
      this.bump();
    });
  }

  addElement(layer: LayerType): void {
    const id = nextId(layer, idsOf(this.template.value));
    const el = newElement(layer, this.doc.value.scene, id);
    this.dispatch(addElement(this.doc.value, el));
    this.selection.value = [id];
  }

  setMeta(patch: Partial<TemplateMeta>): void {
    this.meta.value = { ...this.meta.value, ...patch };
  }

  setRule(id: string, rule: ResizeRule): void {
    this.rules.value = { ...this.rules.value, [id]: rule };
    this.persistRules();
  }

  private persistRules(): void {
    try {
      localStorage.setItem(RULES_KEY(this.id.value), JSON.stringify(this.rules.value));
    } catch {
      // Storage refused: the rules last for this page.
    }
  }

  /** Proposes a scene for each size the template lacks from scene `source` by the rules; existing scenes keep their layout. */
  resizeToAll(sizes: ReadonlyArray<{ width: number; height: number }>, opts: ResizeOptions = {}, source = this.active.value): { added: number; kept: number } {
    this.docs[this.active.value] = this.doc.value;
    const res = resizeToAll(this.template.value, source, this.rules.value as RuleSet, sizes, opts);
    const fresh = res.template.scenes.slice(this.docs.length);
    batch(() => {
      for (const scene of fresh) {
        this.docs.push(docOf(scene));
        this.histories.push(new History());
      }
      this.rules.value = res.rules;
      this.syncSizes();
      this.bump();
    });
    this.persistRules();
    return { added: res.added.length, kept: res.kept.length };
  }

  /** Checks the document as the server will; shows and selects the problem. */
  check(): LocatedProblem | null {
    const problem = validateTemplate(this.template.value);
    this.showProblem(problem);
    return problem;
  }

  showProblem(problem: LocatedProblem | null): void {
    this.problem.value = problem;
    if (!problem) return;
    if (problem.sceneIndex !== null) this.showScene(problem.sceneIndex);
    if (problem.elementId) this.selection.value = [problem.elementId];
  }

  /**
   * Saves: the first time POST /v1/ads/templates (version 1), then PUT (a new version). Checked here first; a refusal
   * of the server is shown with the scene, element and field its path names. Nothing is half-saved: the server
   * stores a whole version or nothing.
   */
  async save(): Promise<void> {
    if (this.saving.value) return;
    this.seal();
    this.editingText.value = null;
    if (this.check()) {
      this.status.value = { kind: 'error', text: `Not saved: ${this.problem.value!.message}` };
      return;
    }
    const template = this.template.value;
    this.saving.value = true;
    this.status.value = { kind: 'info', text: 'Saving…' };
    try {
      const rec = this.id.value === null ? await this.client.templates.create(template) : await this.client.templates.update(this.id.value, template);
      const firstSave = this.id.value === null;
      batch(() => {
        this.id.value = rec.id;
        this.version.value = rec.version;
        this.savedJson.value = JSON.stringify(template);
        this.status.value = { kind: 'success', text: `Saved as version ${rec.version} of template ${rec.id}.` };
      });
      if (firstSave) {
        this.persistRules();
        history.replaceState(null, '', `?template=${rec.id}`);
      }
    } catch (err) {
      this.status.value = { kind: 'error', text: `Not saved: ${this.describe(err, template)} Your work is kept here.` };
    } finally {
      this.saving.value = false;
    }
  }

  /** A server error as a sentence; a template refusal is located (scene, element, field) and selected. */
  describe(err: unknown, template: TemplateDocument): string {
    if (err instanceof AdsmithError && err.code === 'ADS_TEMPLATE_INVALID') {
      const parsed = parseServerProblem(err.message);
      if (parsed) {
        const problem = locateProblem(template, parsed.path, parsed.rule);
        this.showProblem(problem);
        return problem.message;
      }
    }
    return err instanceof Error ? err.message : String(err);
  }

  /** Restoring an old version stores it again as the newest version (history is never rewritten). */
  async restore(version: number): Promise<void> {
    if (this.id.value === null) return;
    try {
      const old = await this.client.templates.version(this.id.value, version);
      const rec = await this.client.templates.update(this.id.value, old.document);
      this.status.value = { kind: 'success', text: `Version ${version} restored as version ${rec.version}.` };
      return this.replaceWith(rec.document as unknown as TemplateDocument, { id: rec.id, version: rec.version });
    } catch (err) {
      this.status.value = { kind: 'error', text: `Not restored: ${(err as Error).message}` };
    }
  }

  /** Loads another document into this store (a version opened, an import): every scene's history starts afresh. */
  replaceWith(template: TemplateDocument, stored: { id: number; version: number } | null): void {
    const { scenes, ...meta } = template;
    batch(() => {
      this.docs = scenes.map(docOf);
      this.histories = scenes.map(() => new History());
      this.meta.value = meta;
      this.active.value = 0;
      this.doc.value = this.docs[0]!;
      this.selection.value = [];
      this.problem.value = null;
      if (stored) {
        this.id.value = stored.id;
        this.version.value = stored.version;
      }
      this.syncSizes();
      this.bump();
      if (stored) this.savedJson.value = JSON.stringify(this.template.value);
    });
  }

  /** The template as a JSON file's text (what import reads back). */
  exportJson(): string {
    return `${JSON.stringify(this.template.value, null, 2)}\n`;
  }
}
