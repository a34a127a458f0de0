import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileBlobKey } from '../../blob/keys.js';
import type { BrandDocument } from '../../engine/model/brand.js';
import type { TemplateDocument } from '../../engine/model/template.js';
import { parseBrand, parseTemplate } from '../../engine/model/validate.js';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { FONT_TYPES, IMAGE_TYPES, sniff } from '../../net/sniff.js';
import type { AssetKind, AssetRecord, FileRecord, Org } from '../../storage/types.js';
import { authenticate, requireFeature, type ServerContext } from '../context.js';
import { forbiddenFileIn } from './file-ownership.js';
import { capabilityToken } from '../../common/ids.js';
import { checkTemplateLimits, effectiveLimits } from '../contract/limits.js';
import { checkUploadedContent, DTD_REFUSAL, svgWithDtd } from './upload-check.js';

function parseId(raw: string, kind: AssetKind): number {
  if (!/^\d{1,12}$/.test(raw)) throw new AdsmithError('ADS_NOT_FOUND', { what: `${kind === 'template' ? 'Template' : 'Brand'} ${JSON.stringify(raw)}` });
  return Number(raw);
}

/** A document may name uploaded files of its own organisation only: a 400 naming the JSON path otherwise. */
async function refuseForeignFiles(ctx: ServerContext, orgId: string, kind: AssetKind, document: unknown): Promise<void> {
  const bad = await forbiddenFileIn(ctx, orgId, document);
  if (bad) throw new AdsmithError(kind === 'template' ? 'ADS_TEMPLATE_INVALID' : 'ADS_BRAND_INVALID', { path: bad.path, rule: bad.reason });
}

/** Validates a document with the engine's schema; the stored copy carries the asset's id. */
function parseDoc(kind: AssetKind, body: unknown, id: number | null): { name: string; description: string; document: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'body', problem: `must be a ${kind} document (JSON object); see /v1/schemas/${kind}.json.` });
  const raw = { ...(body as Record<string, unknown>), id: id === null ? 'new' : String(id) };
  const doc: TemplateDocument | BrandDocument = kind === 'template' ? parseTemplate(raw) : parseBrand(raw);
  return { name: doc.name, description: doc.description, document: doc };
}

/** A template over the scene, size or text limits is refused when saved, not at its first generate. */
function checkSavedLimits(ctx: ServerContext, org: Org, kind: AssetKind, parsed: { document: unknown }): void {
  if (kind === 'template') checkTemplateLimits(parsed.document as TemplateDocument, effectiveLimits(ctx.config.limits, org.plan));
}

function assetView(a: AssetRecord) {
  return { id: a.id, kind: a.kind, name: a.name, description: a.description, version: a.version, created_at: a.createdAt, updated_at: a.updatedAt, document: a.document };
}

export function fileView(ctx: ServerContext, f: FileRecord) {
  return { id: f.id, url: `${ctx.config.publicUrl}/v1/files/${f.id}`, filename: f.filename, mime_type: f.mimeType, size: f.size, created_at: f.createdAt };
}

/** Largest uploaded image, in pixels (its header says; a decompression-bomb guard). */
const MAX_UPLOAD_PIXELS = 50_000_000;

/**
 * Checks uploaded bytes (an image or a font, by their bytes; at most 50 megapixels; decoding as rendering will,
 * see upload-check.ts) and stores them as a file of the organisation. `id` is the file's capability; the hosted-app upload flow chooses it before the bytes arrive.
 */
export async function saveUploadedFile(ctx: ServerContext, orgId: string, filename: string, bytes: Uint8Array, id: string = capabilityToken()): Promise<FileRecord> {
  const sniffed = sniff(bytes);
  if (sniffed.type === 'unknown' && svgWithDtd(bytes)) throw new AdsmithError('ADS_UPLOAD_INVALID', { filename: filename.slice(0, 120), reason: DTD_REFUSAL });
  if (![...IMAGE_TYPES, ...FONT_TYPES].includes(sniffed.type)) {
    throw new AdsmithError('ADS_UPLOAD_TYPE', {
      filename: filename.slice(0, 120),
      kind: 'image or font',
      sniffed: sniffed.type === 'unknown' ? 'something else' : sniffed.type,
      accepted: 'PNG, JPEG, GIF, WebP, AVIF, SVG images; TTF, OTF, WOFF, WOFF2 fonts',
    });
  }
  if (sniffed.width !== undefined && sniffed.height !== undefined && sniffed.width * sniffed.height > MAX_UPLOAD_PIXELS) {
    throw new AdsmithError('ADS_UPLOAD_TOO_LARGE', { limit: `${MAX_UPLOAD_PIXELS / 1_000_000} megapixels (this image is ${sniffed.width}×${sniffed.height} = ${sniffed.width * sniffed.height} pixels)` });
  }
  await checkUploadedContent(filename, bytes, sniffed);
  const file: FileRecord = {
    id,
    orgId,
    filename: filename.replace(/[^\w.\- ]+/g, '_').slice(0, 200) || 'file',
    mimeType: sniffed.mimeType,
    size: bytes.byteLength,
    blobKey: fileBlobKey(id),
    createdAt: new Date().toISOString(),
  };
  await ctx.blob.put(file.blobKey, bytes, file.mimeType);
  await ctx.store.addFile(file);
  return file;
}

/**
 * Buffer threshold of each multipart part stream. The parser (busboy's Dicer) never resumes when a part it
 * skips (no Content-Disposition, a file past the one allowed) fills its stream past this threshold and ends
 * in the same chunk: the request then hangs (found by the fuzzer; 17 KB was enough at the default 16 KiB).
 * Socket chunks are at most 64 KiB, so 1 MiB keeps every part below it; the file is held in memory anyway.
 */
const PART_BUFFER_BYTES = 1024 * 1024;

/**
 * The multipart part named "file" and its bytes. The multipart parser (busboy) throws plain errors for a body
 * it cannot frame (no boundary, a different boundary, cut short): those are the client's, so a 400 naming them.
 */
async function readFilePart(req: FastifyRequest) {
  try {
    const part = await req.file({ fileHwm: PART_BUFFER_BYTES });
    if (!part || part.fieldname !== 'file') throw new AdsmithError('ADS_UPLOAD_MISSING');
    return { part, buf: await part.toBuffer() };
  } catch (err) {
    if (isAdsmithError(err) || String((err as { code?: unknown }).code ?? '').startsWith('FST_')) throw err;
    throw new AdsmithError('ADS_UPLOAD_MALFORMED', { reason: String((err as Error).message ?? err).slice(0, 200) });
  }
}

/** Private templates and brands (create, read, update as a new version, delete) and uploaded files. */
export function registerAssetRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const kind of ['template', 'brand'] as const) {
    const base = `/v1/ads/${kind}s`;
    const guard = async (req: FastifyRequest, reply: FastifyReply) => {
      const org = await authenticate(ctx, req, reply);
      requireFeature(org, 'private_assets');
      return org;
    };

    app.post(base, async (req, reply) => {
      const org = await guard(req, reply);
      const parsed = parseDoc(kind, req.body, null);
      checkSavedLimits(ctx, org, kind, parsed);
      await refuseForeignFiles(ctx, org.id, kind, parsed.document);
      const rec = await ctx.store.createAsset(org.id, kind, parsed);
      return reply.code(201).header('location', `${ctx.config.publicUrl}${base}/${rec.id}`).send(assetView(rec));
    });

    app.get<{ Params: { id: string } }>(`${base}/:id/document`, async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      // Public ones too (read-only, version 1): the browser engine draws them from the full document.
      const publicDocs: Array<TemplateDocument | BrandDocument> = kind === 'template' ? ctx.engine.publicTemplates() : ctx.engine.publicBrands();
      const pub = publicDocs.find((d) => d.id === req.params.id);
      if (pub) return { id: Number(pub.id), kind, name: pub.name, description: pub.description, version: 1, public: true, document: pub };
      const rec = await ctx.store.getAsset(org.id, kind, parseId(req.params.id, kind));
      if (!rec) throw new AdsmithError('ADS_NOT_FOUND', { what: `${kind} ${req.params.id}` });
      return assetView(rec);
    });

    app.get<{ Params: { id: string } }>(`${base}/:id/versions`, async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const versions = await ctx.store.listAssetVersions(org.id, kind, parseId(req.params.id, kind));
      if (!versions.length) throw new AdsmithError('ADS_NOT_FOUND', { what: `${kind} ${req.params.id}` });
      return versions.map((v) => ({ version: v.version, created_at: v.createdAt }));
    });

    app.get<{ Params: { id: string; version: string } }>(`${base}/:id/versions/:version`, async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const version = /^\d{1,9}$/.test(req.params.version) ? Number(req.params.version) : -1;
      const rec = await ctx.store.getAsset(org.id, kind, parseId(req.params.id, kind), version);
      if (!rec) throw new AdsmithError('ADS_NOT_FOUND', { what: `${kind} ${req.params.id} version ${req.params.version}` });
      // The record's name and description are the asset's latest; an old version shows its own.
      const doc = rec.document as { name: string; description: string };
      return { ...assetView(rec), name: doc.name, description: doc.description };
    });

    app.put<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
      const org = await guard(req, reply);
      const id = parseId(req.params.id, kind);
      const parsed = parseDoc(kind, req.body, id);
      checkSavedLimits(ctx, org, kind, parsed);
      await refuseForeignFiles(ctx, org.id, kind, parsed.document);
      const rec = await ctx.store.updateAsset(org.id, kind, id, parsed);
      if (!rec) throw new AdsmithError('ADS_NOT_FOUND', { what: `${kind} ${req.params.id}` });
      return assetView(rec);
    });

    app.delete<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
      const org = await guard(req, reply);
      const ok = await ctx.store.deleteAsset(org.id, kind, parseId(req.params.id, kind));
      if (!ok) throw new AdsmithError('ADS_NOT_FOUND', { what: `${kind} ${req.params.id}` });
      return reply.code(204).send();
    });
  }

  // Brand documents by id (the contract has no such endpoint; GET /v1/ads/brands lists them).
  app.get<{ Params: { id: string } }>('/v1/ads/brands/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const pub = ctx.engine.publicBrands().find((b) => b.id === req.params.id);
    if (pub) return { id: Number(pub.id), kind: 'brand', name: pub.name, description: pub.description, version: 1, public: true, document: pub };
    const rec = await ctx.store.getAsset(org.id, 'brand', parseId(req.params.id, 'brand'));
    if (!rec) throw new AdsmithError('ADS_NOT_FOUND', { what: `brand ${req.params.id}` });
    return assetView(rec);
  });

  app.post('/v1/files', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    requireFeature(org, 'uploads');
    if (!req.isMultipart()) throw new AdsmithError('ADS_UPLOAD_MISSING');
    const { part, buf } = await readFilePart(req);
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const file = await saveUploadedFile(ctx, org.id, part.filename, bytes);
    return reply.code(201).send(fileView(ctx, file));
  });

  app.get('/v1/files', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    return (await ctx.store.listFiles(org.id)).map((f) => fileView(ctx, f));
  });

  // The file itself: no auth (its id is an unguessable capability), so it works as element content and in <img>.
  app.get<{ Params: { id: string } }>('/v1/files/:id', async (req, reply) => {
    const file = /^[A-Za-z0-9_-]{22,64}$/.test(req.params.id) ? await ctx.store.getFile(req.params.id) : null;
    const bytes = file ? await ctx.blob.get(file.blobKey) : null;
    if (!file || !bytes) throw new AdsmithError('ADS_NOT_FOUND', { what: 'This file' });
    return reply
      .type(file.mimeType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('access-control-allow-origin', '*')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.delete<{ Params: { id: string } }>('/v1/files/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const file = await ctx.store.deleteFile(org.id, req.params.id);
    if (!file) throw new AdsmithError('ADS_NOT_FOUND', { what: 'This file' });
    await ctx.blob.delete(file.blobKey);
    return reply.code(204).send();
  });
}
