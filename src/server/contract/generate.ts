import type { BrandDocument } from '../../engine/model/brand.js';
import { sceneKey } from '../../engine/model/contract.js';
import type { TemplateDocument } from '../../engine/model/template.js';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { fileBlobKey, inputBlobKey } from '../../blob/keys.js';
import { checkUrl, fetchImage, FetchRefused } from '../../net/fetch.js';
import { refuseFileUrls } from '../../net/file-url.js';
import { forbiddenFileIn, resolveOwnFile } from '../assets/file-ownership.js';
import { IMAGE_TYPES, sniff } from '../../net/sniff.js';
import type { ModerationInput } from '../../jobs/moderation-stage.js';
import type { SmartImageInput } from '../../jobs/protocol.js';
import type { ElementOverride } from '../../node/types.js';
import type { JobRecord, NewJob, Org } from '../../storage/types.js';
import { requireFeature, type ServerContext } from '../context.js';
import { canonicalJson, capabilityToken, newId, sha256Hex } from '../../common/ids.js';
import { PLANS } from '../../common/plans.js';
import { checkRequestLimits, effectiveLimits } from './limits.js';
import { checkSmartImageBytes, normaliseSmartImage, requireSmartImageSlot } from './smart-image-input.js';
import { check, dropNulls, GenerateBodySchema, type GenerateBody } from './validate.js';

type Ref = { kind: 'public' | 'private'; id: string; version: number };

async function resolveTemplate(ctx: ServerContext, org: Org, id: string): Promise<{ doc: TemplateDocument; ref: Ref }> {
  const pub = ctx.engine.publicTemplates().find((t) => t.id === id);
  if (pub) return { doc: pub, ref: { kind: 'public', id, version: 1 } };
  if (/^\d{1,12}$/.test(id)) {
    const rec = await ctx.store.getAsset(org.id, 'template', Number(id));
    if (rec) return { doc: rec.document as TemplateDocument, ref: { kind: 'private', id, version: rec.version } };
  }
  throw new AdsmithError('ADS_TEMPLATE_UNKNOWN', { template: id });
}

async function findBrand(ctx: ServerContext, org: Org, id: string): Promise<{ doc: BrandDocument; ref: Ref } | null> {
  const pub = ctx.engine.publicBrands().find((b) => b.id === id);
  if (pub) return { doc: pub, ref: { kind: 'public', id, version: 1 } };
  if (/^\d{1,12}$/.test(id)) {
    const rec = await ctx.store.getAsset(org.id, 'brand', Number(id));
    if (rec) return { doc: rec.document as BrandDocument, ref: { kind: 'private', id, version: rec.version } };
  }
  return null;
}

/** A private template or brand naming another organisation's file (or no file, on this server's host): the contract 422 naming where. */
async function refuseForeignFiles(ctx: ServerContext, orgId: string, ref: Ref, doc: TemplateDocument | BrandDocument, parameter: 'template_id' | 'brand_id'): Promise<void> {
  if (ref.kind !== 'private') return;
  const bad = await forbiddenFileIn(ctx, orgId, doc);
  if (bad) throw new AdsmithError('ADS_URL_UNUSABLE', { parameter: `${parameter} (${parameter === 'template_id' ? 'template' : 'brand'} ${ref.id} at ${bad.path})`, reason: bad.reason });
}

const IMAGE_LAYERS = new Set(['image', 'smartImage', 'logo']);

/** What an `elements[i]` entry fills: an image (URL content), a text, or something else (a shape). */
function elementKinds(template: TemplateDocument, body: GenerateBody): Array<'image' | 'text' | 'other'> {
  const byId = new Map<string, string>();
  for (const s of template.scenes) for (const el of s.elements) byId.set(el.id, el.layer_type);
  return (body.elements ?? []).map((el) => {
    const layer = el.layer_type ?? (el.id !== undefined ? byId.get(el.id) : undefined);
    const slot = el.content_type ?? '';
    if ((layer !== undefined && IMAGE_LAYERS.has(layer)) || /^(Image #|smartImage|Logo #)/.test(slot)) return 'image';
    if (layer === 'text' || /^(Heading|Body) #/.test(slot)) return 'text';
    return 'other';
  });
}

/** The request's image inputs that must be fetchable images: `elements[i].content` of image slots, and the smart image. */
function imageInputs(template: TemplateDocument, body: GenerateBody, smart: SmartImageInput | undefined): Array<{ parameter: string; url: string }> {
  const kinds = elementKinds(template, body);
  const out: Array<{ parameter: string; url: string }> = [];
  (body.elements ?? []).forEach((el, i) => {
    if (el.content !== '' && kinds[i] === 'image') out.push({ parameter: `elements[${i}].content`, url: el.content });
  });
  if (smart) out.push({ parameter: 'smart_image.input_image_url', url: smart.input_image_url });
  return out;
}

/** Everything content moderation checks before a job is accepted, in request order: element texts and images, then the smart image. */
function moderationInputs(template: TemplateDocument, body: GenerateBody, images: CheckedInput[]): ModerationInput[] {
  const byParameter = new Map(images.map((i) => [i.parameter, i]));
  const kinds = elementKinds(template, body);
  const out: ModerationInput[] = [];
  (body.elements ?? []).forEach((el, i) => {
    const parameter = `elements[${i}].content`;
    const image = byParameter.get(parameter);
    if (image) out.push({ parameter, kind: 'image', bytes: image.bytes, mimeType: image.mimeType });
    else if (kinds[i] === 'text' && el.content.trim() !== '') out.push({ parameter, kind: 'text', text: el.content });
  });
  const smart = byParameter.get('smart_image.input_image_url');
  if (smart) out.push({ parameter: smart.parameter, kind: 'image', bytes: smart.bytes, mimeType: smart.mimeType });
  return out;
}

export interface CheckedInput {
  parameter: string;
  url: string;
  fetched: boolean;
  bytes: Uint8Array;
  mimeType: string;
}

/** Loaded input bytes by URL; a batch shares one across its rows so that an image every row uses is fetched once. */
export type InputCache = Map<string, Promise<Omit<CheckedInput, 'parameter' | 'url'>>>;

async function loadInput(ctx: ServerContext, orgId: string, url: string): Promise<Omit<CheckedInput, 'parameter' | 'url'>> {
  // Anyone may GET a file by its URL (it works in <img>), but only its own organisation renders with it,
  // however the URL is spelled (localhost, /v1/./files/, upper case, %-encoded: src/net/file-url.ts).
  const file = await resolveOwnFile(ctx, orgId, url);
  if (file) {
    const bytes = await ctx.blob.get(fileBlobKey(file.id));
    if (!bytes) throw new FetchRefused('is not an uploaded file of this server (it was deleted)', 'status');
    return { fetched: false, bytes, mimeType: file.mimeType };
  }
  if (url.startsWith('data:')) {
    const m = /^data:[^;,]*(;base64)?,(.*)$/s.exec(url);
    if (!m) throw new FetchRefused('is not a valid data: URI', 'content');
    const bytes = new Uint8Array(m[1] ? Buffer.from(m[2] ?? '', 'base64') : Buffer.from(decodeURIComponent(m[2] ?? ''), 'utf8'));
    const s = sniff(bytes);
    if (!IMAGE_TYPES.includes(s.type)) throw new FetchRefused('does not hold an image', 'content');
    return { fetched: false, bytes, mimeType: s.mimeType };
  }
  checkUrl(url, ctx.config.allowPrivateUrls);
  // A redirect to an uploaded file would fetch it over HTTP, past the organisation check above: refused.
  const { bytes, sniffed } = await fetchImage(url, { allowPrivate: ctx.config.allowPrivateUrls, timeoutMs: 10_000, refuse: refuseFileUrls(ctx.config) });
  return { fetched: true, bytes, mimeType: sniffed.mimeType };
}

/**
 * Fetches every image input once (guarded), so an unusable URL is the contract's 422 now and not a failed scene later.
 * Also where an uploaded file (PUBLIC_URL/v1/files/…) is checked to belong to `orgId`: generate, batch and the
 * editor's saves all call this one function.
 */
export async function checkImageInputs(ctx: ServerContext, orgId: string, inputs: Array<{ parameter: string; url: string }>, cache?: InputCache): Promise<CheckedInput[]> {
  return Promise.all(
    inputs.map(async ({ parameter, url }) => {
      try {
        let loading = cache?.get(url);
        if (!loading) {
          loading = loadInput(ctx, orgId, url);
          cache?.set(url, loading);
        }
        return { parameter, url, ...(await loading) };
      } catch (err) {
        const reason = err instanceof FetchRefused ? `the URL ${err.message}` : 'the URL could not be fetched';
        throw new AdsmithError('ADS_URL_UNUSABLE', { parameter, reason });
      }
    }),
  );
}

export interface Accepted {
  job: JobRecord;
  created: boolean;
}

/** A generate request that passed every check, ready to become a job; nothing is written yet. */
export interface PreparedGenerate {
  request: unknown;
  template: TemplateDocument;
  brand: BrandDocument | null;
  templateRef: Ref;
  brandRef: Ref | null;
  output: NewJob['output'];
  webhookUrl: string | null;
  requestHash: string;
  inputs: CheckedInput[];
}

/** Schema-checks a generate body (optional fields sent as null count as absent); throws ADS_BAD_REQUEST naming the field. */
export function parseGenerateBody(raw: unknown): { body: GenerateBody; requestHash: string } {
  const body = check<GenerateBody>(GenerateBodySchema, dropNulls(raw));
  return { body, requestHash: sha256Hex(canonicalJson(body)) };
}

/** Authorises and validates a parsed generate body: plan features, template, brand, elements, image inputs, input moderation. Writes nothing. */
export async function prepareGenerate(ctx: ServerContext, org: Org, body: GenerateBody, requestHash: string, opts: { inputCache?: InputCache } = {}): Promise<PreparedGenerate> {
  let smart: SmartImageInput | undefined;
  if (body.smart_image) {
    requireFeature(org, 'smart_image');
    smart = normaliseSmartImage(body.smart_image, ctx.config);
  }
  if (body.content_moderation) requireFeature(org, 'content_moderation');
  if (body.scale === 2) requireFeature(org, 'hd_output');
  if (body.webhook_url) {
    requireFeature(org, 'webhooks');
    try {
      checkUrl(body.webhook_url, ctx.config.allowPrivateUrls);
    } catch (err) {
      throw new AdsmithError('ADS_BAD_REQUEST', { field: 'webhook_url', problem: `${(err as Error).message}: give a public http(s) URL.` });
    }
  }

  const templateId = String(body.template_id).trim();
  const { doc: template, ref: templateRef } = await resolveTemplate(ctx, org, templateId);
  if (templateRef.kind === 'private') requireFeature(org, 'private_assets');
  const brandId = body.brand_id === undefined || body.brand_id === null || body.brand_id === '' ? null : String(body.brand_id).trim();
  let brand: { doc: BrandDocument; ref: Ref } | null = null;
  if (brandId !== null) {
    const found = await findBrand(ctx, org, brandId);
    if (found && found.ref.kind !== templateRef.kind) {
      throw new AdsmithError('ADS_ASSET_MIXING', { template: templateId, template_kind: templateRef.kind, brand: brandId, brand_kind: found.ref.kind });
    }
    if (template.requires_brand) {
      if (!found) throw new AdsmithError('ADS_BRAND_UNKNOWN', { brand: brandId });
      brand = found;
    }
    // A brand-independent template ignores brand_id (contract), except for the mixing rule above.
  } else if (template.requires_brand) {
    throw new AdsmithError('ADS_BRAND_REQUIRED', { template: templateId });
  }
  // Private documents may name uploaded files, only this organisation's: one stored before the save-time check is refused here.
  await refuseForeignFiles(ctx, org.id, templateRef, template, 'template_id');
  if (brand) await refuseForeignFiles(ctx, org.id, brand.ref, brand.doc, 'brand_id');

  const elements: ElementOverride[] = (body.elements ?? []).map((e) => ({
    ...(e.layer_type !== undefined ? { layer_type: e.layer_type } : {}),
    ...(e.content_type !== undefined ? { content_type: e.content_type } : {}),
    ...(e.id !== undefined ? { id: e.id } : {}),
    ...(e.locale !== undefined ? { locale: e.locale } : {}),
    content: e.content,
  }));
  const output = { format: body.output_format ?? 'png', scale: body.scale ?? 1, ...(body.max_kb !== undefined ? { maxKb: body.max_kb } : {}) } as const;
  if (smart) requireSmartImageSlot(template, templateId);
  // Before anything is fetched or stored: what the job would render must fit the configured and plan limits.
  checkRequestLimits(template, elements, output.scale, effectiveLimits(ctx.config.limits, org.plan));
  ctx.engine.checkRenderRequest({ template, brand: brand?.doc ?? null, elements, output });

  // A missing model is a 424 saying what is missing, before anything is fetched (render nodes make the cut-out).
  if (smart && ctx.config.workers > 0) await ctx.models?.require('smart_image', 'Smart image');
  if (body.content_moderation) await ctx.models?.require('image_moderation', 'Content moderation');

  const inputs = await checkImageInputs(ctx, org.id, imageInputs(template, body, smart), opts.inputCache);
  const smartInput = inputs.find((i) => i.parameter === 'smart_image.input_image_url');
  if (smartInput) await checkSmartImageBytes(smartInput.bytes);
  if (body.content_moderation && ctx.inputModerator) {
    let failed: string | null;
    try {
      failed = await ctx.inputModerator(moderationInputs(template, body, inputs));
    } catch (err) {
      if (isAdsmithError(err) && err.code === 'ADS_WORKER_CRASHED') throw new AdsmithError('ADS_SERVER_BUSY', { reason: 'restarting its moderation model' });
      throw err;
    }
    if (failed) throw new AdsmithError('ADS_INPUT_MODERATED', { parameter_name: failed });
  }

  const request = { ...body, template_id: templateId, brand_id: brandId, elements, ...(smart ? { smart_image: smart } : {}) };
  return { request, template, brand: brand?.doc ?? null, templateRef, brandRef: brand?.ref ?? null, output, webhookUrl: body.webhook_url ?? null, requestHash, inputs };
}

/** Keeps the fetched inputs under the job: rendering uses exactly the bytes that were checked, fetched once. */
export async function saveCheckedInputs(ctx: ServerContext, jobId: string, inputs: CheckedInput[]): Promise<void> {
  const saved = new Set<string>();
  for (const input of inputs) {
    if (!input.fetched || saved.has(input.url)) continue;
    saved.add(input.url);
    await ctx.blob.put(inputBlobKey(jobId, sha256Hex(input.url)), input.bytes, input.mimeType);
  }
}

/** The job row (and its scenes, each with a fresh result-URL capability) for a prepared request. */
/** `requestId`: the HTTP request accepting the job (req.id), kept with it for the scene logs of the worker that renders it. */
export function newJobOf(p: PreparedGenerate, jobId: string, orgId: string, idempotencyKey: string | null, requestId: string | null = null): NewJob {
  return {
    id: jobId,
    orgId,
    requestId,
    request: p.request,
    template: p.template,
    brand: p.brand,
    templateRef: p.templateRef,
    brandRef: p.brandRef,
    output: p.output,
    webhookUrl: p.webhookUrl,
    idempotencyKey,
    requestHash: p.requestHash,
    scenes: p.template.scenes.map((s, i) => ({
      index: i,
      token: capabilityToken(),
      key: sceneKey(i),
      name: s.name,
      width: s.width * p.output.scale,
      height: s.height * p.output.scale,
      format: p.output.format,
    })),
  };
}

/** Validates, authorises and persists a generate request. Nothing is written unless everything passed. */
export async function acceptGenerate(ctx: ServerContext, org: Org, raw: unknown, idempotencyKey: string | null, requestId: string | null = null): Promise<Accepted> {
  const { body, requestHash } = parseGenerateBody(raw);
  if (idempotencyKey) {
    if (idempotencyKey.length > 200) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'Idempotency-Key header', problem: 'must be at most 200 characters.' });
    const existing = await ctx.store.findJobByIdempotencyKey(org.id, idempotencyKey);
    if (existing) {
      if (existing.requestHash !== requestHash) throw new AdsmithError('ADS_IDEMPOTENCY_MISMATCH', { key: idempotencyKey });
      return { job: existing, created: false };
    }
  }
  const prepared = await prepareGenerate(ctx, org, body, requestHash);
  const jobId = newId('job');
  await saveCheckedInputs(ctx, jobId, prepared.inputs);
  const res = await ctx.store.createJob(newJobOf(prepared, jobId, org.id, idempotencyKey, requestId), PLANS[org.plan].totalRequests);
  if (!res.job) {
    const plan = PLANS[org.plan];
    throw new AdsmithError('ADS_QUOTA_EXCEEDED', { plan_label: plan.label, total: plan.totalRequests ?? 0 });
  }
  if (!res.created && res.job.requestHash !== requestHash) throw new AdsmithError('ADS_IDEMPOTENCY_MISMATCH', { key: idempotencyKey ?? '' });
  if (res.created) ctx.queue.notify(res.job.id);
  return { job: res.job, created: res.created };
}
