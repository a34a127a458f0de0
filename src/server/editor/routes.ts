import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import sharp from 'sharp';
import type { TemplateDocument } from '../../engine/model/template.js';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { IMAGE_TYPES, sniff } from '../../net/sniff.js';
import type { ElementOverride } from '../../node/types.js';
import { mapFastifyError } from '../http/errors.js';
import { requireFeature, type ServerContext } from '../context.js';
import { fileView, saveUploadedFile } from '../assets/routes.js';
import { resultUrl } from '../contract/views.js';
import { sendWebPage } from '../pages/web.js';
import { renderRefusalPage, refusalStatus, type EditorRefusal } from './pages.js';
import { EditorRenderer } from './renderer.js';
import { applyToAll, revisionUrl, saveRevision } from './revisions.js';
import { editorSession, takeEditorRate, verifyEditorLink } from './session.js';

/** CSP `frame-ancestors` sources from ADSMITH_EDITOR_FRAME_ANCESTORS. */
function frameAncestors(ctx: ServerContext): string {
  return ctx.config.editorFrameAncestors.join(' ');
}

/** Origins the editor accepts postMessage from and posts to; [] means any (the setting holds `*`). */
export function allowedOrigins(ctx: ServerContext): string[] {
  const entries = ctx.config.editorFrameAncestors;
  if (entries.includes('*')) return [];
  return [...new Set(entries.map((e) => (e === "'self'" ? new URL(ctx.config.publicUrl).origin : e)))];
}

/** The editor page's CSP: its own scripts, styles, fonts and API only; framed only by the configured ancestors. */
export function editorCsp(ctx: ServerContext): string {
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data: blob:",
    "connect-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `frame-ancestors ${frameAncestors(ctx)}`,
  ].join('; ');
}

const REFUSALS: Partial<Record<string, EditorRefusal>> = { ADS_EDITOR_LINK_INVALID: 'invalid', ADS_EDITOR_LINK_EXPIRED: 'expired', ADS_NOT_FOUND: 'missing' };

/** Errors of the editor API: always `{error: {code, message}}` (the contract's string bodies for 403/422 are for its own endpoints). */
function sendEditorError(reply: FastifyReply, err: AdsmithError): FastifyReply {
  return reply.code(err.status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: { code: err.code, message: err.message } });
}

/** What a non-image upload looks like, for the message (the bytes, not the name, decide). */
function describeBytes(bytes: Uint8Array, sniffed: string): string {
  if (sniffed !== 'unknown') return `a ${sniffed.toUpperCase()} font`;
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (bytes.byteLength === 0) return 'nothing (the file is empty)';
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (head.startsWith('PK\x03\x04')) return 'a ZIP archive (or an Office document)';
  const sample = bytes.subarray(0, 512);
  if (sample.every((b) => b === 9 || b === 10 || b === 13 || b >= 32)) return 'text';
  return 'something else';
}

/**
 * The Ads Editor: the page at `editor_iframe` and its API (/v1/editor/*), authorised by the signed link's
 * session header instead of an API token (see docs/editor.md).
 */
export function registerEditorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const renderer = new EditorRenderer(ctx);
  app.addHook('onClose', async () => renderer.close());

  app.get<{ Params: { job: string; scene: string }; Querystring: { exp?: string; sig?: string } }>('/editor/:job/:scene', async (req, reply) => {
    // Framing and caching apply to every answer, the refusal pages included (they show inside the host's frame).
    void reply.header('cache-control', 'private, no-store').header('referrer-policy', 'same-origin').header('x-content-type-options', 'nosniff');
    try {
      await verifyEditorLink(ctx, req.params.job, req.params.scene, String(req.query.exp ?? ''), String(req.query.sig ?? ''));
    } catch (err) {
      const kind = isAdsmithError(err) ? REFUSALS[err.code] : undefined;
      if (!kind) throw err;
      const detail = err instanceof AdsmithError && err.code === 'ADS_EDITOR_LINK_EXPIRED' ? `Expired at ${String(err.params['expired_at'])}.` : undefined;
      return reply
        .code(refusalStatus(kind))
        .type('text/html; charset=utf-8')
        .header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors ${frameAncestors(ctx)}`)
        .send(renderRefusalPage(kind, detail));
    }
    return sendWebPage(reply, 'editor', { 'content-security-policy': editorCsp(ctx) });
  });

  // The API in its own scope, so that its errors keep one body shape whatever their status.
  void app.register(async (api) => {
    api.setErrorHandler((err: FastifyError, req, reply) => {
      if (isAdsmithError(err)) return sendEditorError(reply, err);
      const mapped = mapFastifyError(err, req, { upload: ctx.config.uploadLimit });
      if (mapped) return sendEditorError(reply, mapped);
      if (!ctx.config.logger) console.error(`[adsmith] unhandled editor error (reference ${req.id}):`, err);
      else req.log.error({ err }, 'unhandled editor error');
      return sendEditorError(reply, new AdsmithError('ADS_INTERNAL', { reference: req.id }));
    });
    api.addHook('onSend', async (_req, reply, payload) => {
      void reply.header('cache-control', 'no-store');
      return payload;
    });

    api.get('/v1/editor/session', async (req) => {
      const s = await editorSession(ctx, req);
      const scenes = await ctx.store.getScenes(s.job.id);
      const revisions = await ctx.store.listSceneRevisions(s.job.id);
      const latest = new Map(revisions.map((r) => [r.index, r]));
      const own = latest.get(s.index) ?? null;
      const template = s.job.template as TemplateDocument;
      return {
        job_id: s.job.id,
        scene: s.index + 1,
        template,
        template_ref: s.job.templateRef,
        brand: s.job.brand ?? null,
        brand_ref: s.job.brandRef,
        elements: ((s.job.request as { elements?: ElementOverride[] }).elements ?? []) as ElementOverride[],
        output: { format: s.job.output.format, scale: s.job.output.scale },
        scenes: scenes.map((sc) => {
          const rev = latest.get(sc.index);
          return {
            scene: sc.index + 1,
            name: sc.name,
            width: sc.width,
            height: sc.height,
            url: rev ? revisionUrl(ctx, rev) : resultUrl(ctx, sc),
            original_url: resultUrl(ctx, sc),
            status: sc.status,
            revision: rev?.revision ?? 0,
          };
        }),
        edit: own ? { revision: own.revision, scene_doc: own.sceneDoc, elements: own.elements } : { revision: 0, scene_doc: null, elements: [] },
        allowed_origins: allowedOrigins(ctx),
        expires_at: new Date(s.exp * 1000).toISOString(),
      };
    });

    api.get('/v1/editor/revisions', async (req) => {
      const s = await editorSession(ctx, req);
      return (await ctx.store.listSceneRevisions(s.job.id, s.index)).map((r) => ({ revision: r.revision, url: revisionUrl(ctx, r), width: r.width, height: r.height, created_at: r.createdAt }));
    });

    api.post('/v1/editor/revisions', async (req, reply) => {
      const s = await editorSession(ctx, req);
      takeEditorRate(ctx, s, reply);
      const rev = await saveRevision(ctx, renderer, s, req.body);
      return reply.code(201).send({ scene_id: `${s.job.id}-${s.index + 1}`, scene: s.index + 1, revision: rev.revision, url: revisionUrl(ctx, rev), width: rev.width, height: rev.height });
    });

    api.post('/v1/editor/apply-to-all', async (req, reply) => {
      const s = await editorSession(ctx, req);
      takeEditorRate(ctx, s, reply);
      const revs = await applyToAll(ctx, renderer, s, req.body);
      return reply.code(201).send({
        scenes: revs.map((r) => ({ scene_id: `${s.job.id}-${r.index + 1}`, scene: r.index + 1, revision: r.revision, url: revisionUrl(ctx, r), width: r.width, height: r.height })),
      });
    });

    api.post('/v1/editor/uploads', async (req, reply) => {
      const s = await editorSession(ctx, req);
      takeEditorRate(ctx, s, reply);
      requireFeature(s.org, 'uploads');
      if (!req.isMultipart()) throw new AdsmithError('ADS_UPLOAD_MISSING');
      const part = await req.file();
      if (!part || part.fieldname !== 'file') throw new AdsmithError('ADS_UPLOAD_MISSING');
      const buf = await part.toBuffer();
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      // The editor takes images only; /v1/files also takes fonts. Everything else is /v1/files' own check.
      const sniffed = sniff(bytes);
      if (!IMAGE_TYPES.includes(sniffed.type)) {
        throw new AdsmithError('ADS_EDITOR_UPLOAD_NOT_IMAGE', { filename: part.filename.slice(0, 120), declared: part.mimetype || 'no type', sniffed: describeBytes(bytes, sniffed.type) });
      }
      const file = await saveUploadedFile(ctx, s.org.id, part.filename, bytes);
      let { width, height } = sniffed;
      if (width === undefined || height === undefined) ({ width, height } = await sharp(buf).metadata());
      const view = fileView(ctx, file);
      return reply.code(201).send({ url: view.url, width: width ?? null, height: height ?? null, mime_type: file.mimeType, id: file.id, size: file.size });
    });
  });
}
