import { walkStrings } from '../../jobs/file-access.js';
import type { TemplateDocument } from '../../engine/model/template.js';
import { parseTemplate } from '../../engine/model/validate.js';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import type { ElementOverride } from '../../node/types.js';
import type { JobRecord, NewSceneRevision, SceneRevision } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { checkImageInputs, saveCheckedInputs, type CheckedInput } from '../contract/generate.js';
import { capabilityToken, sha256Hex } from '../../common/ids.js';
import { checkRequestLimits, effectiveLimits } from '../contract/limits.js';
import { check, GenerateBodySchema } from '../contract/validate.js';
import { moderateEditInputs, moderateEditOutput } from './moderation.js';
import type { EditorRenderer } from './renderer.js';
import type { EditorSession } from './session.js';

const ElementsSchema = GenerateBodySchema.properties.elements;

export const SaveBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['base_revision', 'scene_doc', 'elements'],
  properties: {
    base_revision: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    scene_doc: { type: 'object' },
    elements: ElementsSchema,
  },
} as const;

export const ApplyBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['elements'],
  properties: { elements: { ...ElementsSchema, minItems: 1 } },
} as const;

export interface SaveBody {
  base_revision: number;
  scene_doc: Record<string, unknown>;
  elements: ElementOverride[];
}

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** Where a revision's image lives in the blob store (never a job's own result key, so the original keeps its image). */
const revisionBlobKey = (jobId: string, index: number, file: string): string => `revisions/${jobId}/${index}/${file}`;

export function revisionUrl(ctx: ServerContext, rev: Pick<SceneRevision, 'file'>): string {
  return `${ctx.config.publicUrl}/v1/results/${rev.file}`;
}

/** The job's template (the version it used) with scene `index` replaced by `sceneDoc`, validated by the engine; errors name `scene_doc`'s JSON path. */
export function templateWithScene(job: JobRecord, index: number, sceneDoc: unknown): TemplateDocument {
  const base = job.template as TemplateDocument;
  const raw = { ...base, scenes: base.scenes.map((s, i) => (i === index ? sceneDoc : s)) };
  try {
    return parseTemplate(raw);
  } catch (err) {
    if (!isAdsmithError(err) || err.code !== 'ADS_TEMPLATE_INVALID') throw err;
    const at = String(err.params['path'] ?? '$');
    const own = `$.scenes[${index}]`;
    const path = at === own || at.startsWith(`${own}.`) || at.startsWith(`${own}[`) ? `$.scene_doc${at.slice(own.length)}` : `${at} (of the job's template)`;
    throw new AdsmithError('ADS_EDITOR_SCENE_INVALID', { path, rule: String(err.params['rule'] ?? 'is invalid') });
  }
}

/** Every string in `value` that is an image address the renderer would load (http(s) or data: URI), with its JSON path. */
function urlsIn(value: unknown, path: string, out: Array<{ parameter: string; url: string }>): void {
  walkStrings(value, (at, s) => {
    if (/^(https?:\/\/|data:)/i.test(s)) out.push({ parameter: at, url: s });
  }, path);
}

/**
 * Checks the image addresses an edit brings that its job did not already have (those were checked when the job
 * was accepted): through generate's own check, so an uploaded file of another organisation is refused (422
 * naming the JSON path) and a remote image is fetched once, guarded, and kept with the job for rendering.
 */
async function checkNewImages(ctx: ServerContext, session: EditorSession, candidates: Array<{ parameter: string; url: string }>): Promise<CheckedInput[]> {
  const seen = knownStrings(session.job);
  const fresh = candidates.filter((c) => !seen.has(c.url));
  if (fresh.length === 0) return [];
  const inputs = await checkImageInputs(ctx, session.org.id, fresh);
  await saveCheckedInputs(ctx, session.job.id, inputs);
  return inputs;
}

const knownByJob = new WeakMap<JobRecord, Set<string>>();

/** Every string of the job's accepted request and template: what was already checked (or is the template's own). Once per job record. */
function knownStrings(job: JobRecord): Set<string> {
  let out = knownByJob.get(job);
  if (!out) {
    const found = new Set<string>();
    walkStrings([job.request, job.template], (_path, s) => found.add(s));
    knownByJob.set(job, (out = found));
  }
  return out;
}

/** Texts the edit brings that the job did not have (for content moderation): text elements of the scene and non-URL inputs. */
function newTexts(job: JobRecord, sceneDoc: { elements: Array<{ layer_type: string; content: string }> } | null, elements: ElementOverride[]): Array<{ parameter: string; text: string }> {
  const seen = knownStrings(job);
  const out: Array<{ parameter: string; text: string }> = [];
  sceneDoc?.elements.forEach((el, i) => {
    if (el.layer_type === 'text' && !seen.has(el.content)) out.push({ parameter: `$.scene_doc.elements[${i}].content`, text: el.content });
  });
  elements.forEach((el, i) => {
    if (!/^(https?:\/\/|data:)/i.test(el.content) && !seen.has(el.content)) out.push({ parameter: `$.elements[${i}].content`, text: el.content });
  });
  return out;
}

interface Drawn {
  rev: NewSceneRevision;
  bytes: Uint8Array;
}

/** Renders one scene of the job as edited; the image is not stored yet. */
async function draw(ctx: ServerContext, renderer: EditorRenderer, job: JobRecord, index: number, revision: number, sceneDoc: unknown, template: TemplateDocument, elements: ElementOverride[]): Promise<Drawn> {
  const out = await renderer.render(job, template, index, elements);
  await moderateEditOutput(ctx, job, out.bytes, out.mimeType);
  const file = `${capabilityToken()}.${EXT[out.mimeType] ?? 'bin'}`;
  return {
    bytes: out.bytes,
    rev: {
      jobId: job.id,
      index,
      revision,
      sceneDoc,
      elements,
      blobKey: revisionBlobKey(job.id, index, file),
      file,
      mimeType: out.mimeType,
      etag: `"${sha256Hex(out.bytes).slice(0, 32)}"`,
      size: out.bytes.byteLength,
      width: out.width,
      height: out.height,
    },
  };
}

/**
 * Stores drawn revisions: images first, then every row in one atomic step. A conflict (another save got there
 * first) removes the images again and answers 409: nothing is half-written and nothing is overwritten.
 */
async function publish(ctx: ServerContext, drawn: Drawn[]): Promise<SceneRevision[]> {
  const removeAll = () => Promise.all(drawn.map((d) => ctx.blob.delete(d.rev.blobKey).catch(() => undefined)));
  try {
    for (const d of drawn) await ctx.blob.put(d.rev.blobKey, d.bytes, d.rev.mimeType);
  } catch (err) {
    await removeAll();
    throw err;
  }
  let result;
  try {
    result = await ctx.store.addSceneRevisions(drawn.map((d) => d.rev));
  } catch (err) {
    await removeAll();
    throw err;
  }
  if (!result.ok) {
    await removeAll();
    throw new AdsmithError('ADS_EDITOR_CONFLICT', { latest: result.latest });
  }
  return result.revisions;
}

function conflictUnless(latest: SceneRevision | null, base: number): void {
  const current = latest?.revision ?? 0;
  if (current !== base) throw new AdsmithError('ADS_EDITOR_CONFLICT', { latest: current });
}

/**
 * An edit may make no more than a generate could (issue 9): the scene's size after the job's scale, the job's
 * pixels and every text, within the limits of the job's organisation (the strictest plan's if it is gone).
 */
async function checkEditLimits(ctx: ServerContext, job: JobRecord, template: TemplateDocument, elements: readonly ElementOverride[]): Promise<void> {
  const org = await ctx.store.getOrg(job.orgId);
  checkRequestLimits(template, elements, job.output.scale, effectiveLimits(ctx.config.limits, org?.plan ?? 'free'));
}

/** POST /v1/editor/revisions: validate, check images, render, then publish revision base+1 of this scene. */
export async function saveRevision(ctx: ServerContext, renderer: EditorRenderer, session: EditorSession, raw: unknown): Promise<SceneRevision> {
  const body = check<SaveBody>(SaveBodySchema, raw);
  const { job, index } = session;
  // A stale editor is told before anything is drawn; publish() re-checks atomically.
  conflictUnless(await ctx.store.latestSceneRevision(job.id, index), body.base_revision);
  const template = templateWithScene(job, index, body.scene_doc);
  const sceneDoc = template.scenes[index];
  ctx.engine.checkRenderRequest({ template, brand: job.brand as never, elements: body.elements, output: job.output });
  await checkEditLimits(ctx, job, template, body.elements);
  const candidates: Array<{ parameter: string; url: string }> = [];
  urlsIn(body.scene_doc, '$.scene_doc', candidates);
  urlsIn(body.elements, '$.elements', candidates);
  const images = await checkNewImages(ctx, session, candidates);
  await moderateEditInputs(ctx, job, newTexts(job, sceneDoc ?? null, body.elements), images);
  const drawn = await draw(ctx, renderer, job, index, body.base_revision + 1, sceneDoc, template, body.elements);
  const [saved] = await publish(ctx, [drawn]);
  return saved as SceneRevision;
}

/**
 * `edits` (by slot) laid over a scene's inputs `base`: an edit replaces the entry filling the same slot, and also
 * an entry by id for an element of that slot in `scene` (an id entry would otherwise win over the slot, and the
 * content applied to every size would not show in this one). Anything else is kept.
 */
export function mergeContent(base: ElementOverride[], edits: ElementOverride[], scene: { elements: Array<{ id: string; content_type: string | null }> }): ElementOverride[] {
  const slots = new Set(edits.map((e) => e.content_type));
  const slotOf = new Map(scene.elements.map((el) => [el.id, el.content_type]));
  const out = base.filter((b) => (b.id !== undefined ? !slots.has(slotOf.get(b.id) ?? null) : !slots.has(b.content_type)));
  return [...out, ...edits];
}

/**
 * POST /v1/editor/apply-to-all: content edits (slots by content_type) applied to every scene of the job, each on
 * top of its own latest saved edit (layout kept), each published as a new revision; all scenes or none.
 */
export async function applyToAll(ctx: ServerContext, renderer: EditorRenderer, session: EditorSession, raw: unknown): Promise<SceneRevision[]> {
  const body = check<{ elements: ElementOverride[] }>(ApplyBodySchema, raw);
  const { job } = session;
  body.elements.forEach((el, i) => {
    if (el.id !== undefined || !el.content_type) {
      throw new AdsmithError('ADS_BAD_REQUEST', {
        field: `elements[${i}]`,
        problem: 'must fill a slot by content_type (e.g. "Heading #1") and have no id: apply-to-all changes content in every size; change one element of one size with POST /v1/editor/revisions.',
      });
    }
  });
  const base = job.template as TemplateDocument;
  const jobElements = (job.request as { elements?: ElementOverride[] }).elements ?? [];
  ctx.engine.checkRenderRequest({ template: base, brand: job.brand as never, elements: body.elements, output: job.output });
  await checkEditLimits(ctx, job, base, body.elements);
  const candidates: Array<{ parameter: string; url: string }> = [];
  urlsIn(body.elements, '$.elements', candidates);
  const images = await checkNewImages(ctx, session, candidates);
  await moderateEditInputs(ctx, job, newTexts(job, null, body.elements), images);
  const scenes = await ctx.store.getScenes(job.id);
  const latest = new Map<number, SceneRevision>();
  for (const r of await ctx.store.listSceneRevisions(job.id)) latest.set(r.index, r);
  const drawn: Drawn[] = [];
  for (const scene of scenes) {
    const prev = latest.get(scene.index);
    const template = prev ? templateWithScene(job, scene.index, prev.sceneDoc) : base;
    const sceneDoc = template.scenes[scene.index] as TemplateDocument['scenes'][number];
    const elements = mergeContent(prev ? (prev.elements as ElementOverride[]) : jobElements, body.elements, sceneDoc);
    drawn.push(await draw(ctx, renderer, job, scene.index, (prev?.revision ?? 0) + 1, sceneDoc, template, elements));
  }
  return publish(ctx, drawn);
}
