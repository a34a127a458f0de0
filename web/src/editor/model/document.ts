/**
 * Between the server's session and the editor's document: load a scene for
 * editing, and build what the engine draws and what Save sends.
 */
import type { TemplateDocument } from '../../../../src/engine/model/template.js';
import type { EditorDoc, Element, ElementInput, Scene } from './types.js';

export interface SessionEdit {
  revision: number;
  scene_doc: Scene | null;
  elements: ElementInput[];
}

/** What the editor keeps beside the document: the job's inputs that target slots (`Heading #1` → every scene). */
export interface Loaded {
  doc: EditorDoc;
  /** Inputs by slot or by an id outside this scene: sent unchanged. */
  inputs: ElementInput[];
}

/**
 * The scene in paint order with `order` dropped: the engine sorts by `order`
 * then position, so this draws the same, and reordering becomes moving in the
 * array.
 */
export function normalizeScene(scene: Scene): Scene {
  const elements = scene.elements
    .map((el, i) => ({ el, i }))
    .sort((a, b) => (a.el.order ?? 0) - (b.el.order ?? 0) || a.i - b.i)
    .map(({ el }) => {
      const { order: _order, ...rest } = el;
      return rest as Element;
    });
  return { ...scene, elements };
}

/**
 * The document for scene `sceneIndex` (0-based): the latest saved edit when
 * there is one, else the template's scene with the job's inputs. Inputs that
 * name an element of this scene by id become editor content (or hidden, for
 * `""`); the rest are kept as they were.
 */
export function loadDoc(template: TemplateDocument, sceneIndex: number, jobInputs: readonly ElementInput[], edit: SessionEdit | null): Loaded {
  const base = template.scenes[sceneIndex];
  if (!base) throw new Error(`the template has no scene ${sceneIndex + 1}`);
  const saved = edit && edit.revision > 0;
  const scene = normalizeScene(saved && edit.scene_doc ? edit.scene_doc : base);
  const own = new Set(scene.elements.map((el) => el.id));
  const content: Record<string, string> = {};
  const hidden: Record<string, true> = {};
  const inputs: ElementInput[] = [];
  for (const input of saved ? edit.elements : jobInputs) {
    if (input.id && own.has(input.id)) {
      if (input.content === '') hidden[input.id] = true;
      else content[input.id] = input.content;
    } else inputs.push(input);
  }
  return { doc: { scene, content, hidden }, inputs };
}

/** The content an element shows: edited here, else the job's input by id, then by slot, else the template's. */
export function effectiveContent(doc: EditorDoc, inputs: readonly ElementInput[], el: Element): string {
  const edited = doc.content[el.id];
  if (edited !== undefined) return edited;
  const byId = inputs.find((i) => i.id === el.id);
  if (byId) return byId.content;
  const bySlot = el.content_type ? inputs.findLast((i) => !i.id && i.content_type === el.content_type) : undefined;
  return bySlot ? bySlot.content : el.content;
}

/** The template with this scene replaced by the edited one (what both the browser and the server render). */
export function editedTemplate(template: TemplateDocument, sceneIndex: number, doc: EditorDoc): TemplateDocument {
  return { ...template, scenes: template.scenes.map((s, i) => (i === sceneIndex ? doc.scene : s)) };
}

/**
 * The element overrides to render with: the job's inputs, then this editor's
 * content by id, then `""` for hidden elements (the last entry for an id wins).
 * Entries naming an id the edited template no longer has (a deleted element)
 * are left out, since the engine refuses unknown ids.
 */
export function renderElements(template: TemplateDocument, doc: EditorDoc, inputs: readonly ElementInput[]): ElementInput[] {
  const ids = new Set<string>();
  for (const scene of template.scenes) for (const el of scene.elements) ids.add(el.id);
  for (const el of doc.scene.elements) ids.add(el.id);
  const present = new Set(doc.scene.elements.map((el) => el.id));
  const out: ElementInput[] = inputs.filter((i) => !i.id || ids.has(i.id));
  for (const [id, content] of Object.entries(doc.content)) if (present.has(id)) out.push({ id, content });
  for (const id of Object.keys(doc.hidden)) if (present.has(id)) out.push({ id, content: '' });
  return out;
}

/** Every element id of the edited template (duplicates must not reuse one). */
export function templateIds(template: TemplateDocument, doc: EditorDoc): Set<string> {
  const ids = new Set<string>();
  for (const scene of template.scenes) for (const el of scene.elements) ids.add(el.id);
  for (const el of doc.scene.elements) ids.add(el.id);
  return ids;
}

/** Content types "Apply to all sizes" may carry: heading, body (and button) text, images. */
export function appliesToAllSizes(el: Element): boolean {
  if (!el.content_type) return false;
  return /^(?:Heading|Body|Image) #\d$/.test(el.content_type) || el.content_type === 'smartImage';
}

/** The apply-to-all body for one element: its content by slot, so every scene's element of that slot gets it. */
export function applyToAllInput(doc: EditorDoc, inputs: readonly ElementInput[], el: Element): ElementInput | null {
  if (!appliesToAllSizes(el)) return null;
  return { content_type: el.content_type, content: effectiveContent(doc, inputs, el) };
}
