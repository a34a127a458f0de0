import type { FastifyInstance } from 'fastify';
import { AdsmithError } from '../../errors/catalogue.js';
import type { FileRecord } from '../../storage/types.js';
import { authenticate, requireFeature, type ServerContext } from '../context.js';
import { capabilityToken, hmacHex, safeEqual } from '../../common/ids.js';
import { saveUploadedFile } from '../assets/routes.js';
import { envelope } from './view.js';
import { check } from '../contract/validate.js';

/**
 * The hosted-app upload flow the @inferencesh/sdk runs for a Blob or data URI
 * in an input: `POST /files` with `{files: [{filename, content_type, size}]}`
 * answers each file's `uri` and a presigned `upload_url`; the SDK then PUTs the
 * bytes there without credentials and puts the `uri` in the input. The upload
 * URL is signed (HMAC over file id, organisation, expiry and name) and works
 * once; the `uri` is the file's ordinary Adsmith URL (`/v1/files/{id}`), which
 * generate reads straight from the blob store.
 */

/** How long an upload URL stays valid. */
const UPLOAD_TTL_S = 3600;

const CreateFilesSchema = {
  type: 'object',
  required: ['files'],
  properties: {
    files: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          uri: { type: 'string' },
          filename: { type: ['string', 'null'], maxLength: 500 },
          content_type: { type: ['string', 'null'], maxLength: 200 },
          path: { type: ['string', 'null'], maxLength: 1000 },
          size: { type: ['integer', 'null'], minimum: 0 },
        },
      },
    },
  },
} as const;

interface CreateFiles {
  files: Array<{ filename?: string | null; content_type?: string | null; path?: string | null; size?: number | null }>;
}

export function uploadSignature(key: string, id: string, orgId: string, exp: number, name: string): string {
  return hmacHex(key, `upload.${id}.${orgId}.${exp}.${name}`);
}

export function fileUri(ctx: ServerContext, id: string): string {
  return `${ctx.config.publicUrl}/v1/files/${id}`;
}

/** The protocol's file DTO. */
function fileDto(ctx: ServerContext, f: Pick<FileRecord, 'id' | 'filename' | 'mimeType' | 'size' | 'createdAt'>, extra: { upload_url?: string; path?: string } = {}) {
  return {
    id: f.id,
    short_id: f.id.slice(-8),
    uri: fileUri(ctx, f.id),
    filename: f.filename,
    content_type: f.mimeType,
    size: f.size,
    path: extra.path ?? '',
    ...(extra.upload_url ? { upload_url: extra.upload_url } : {}),
    created_at: f.createdAt,
    updated_at: f.createdAt,
  };
}

export function registerTaskFileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/files', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    requireFeature(org, 'uploads');
    const body = check<CreateFiles>(CreateFilesSchema, req.body);
    const now = new Date();
    const exp = Math.floor(now.getTime() / 1000) + UPLOAD_TTL_S;
    const files = body.files.map((f, i) => {
      if (typeof f.size === 'number' && f.size > ctx.config.uploadLimit) {
        throw new AdsmithError('ADS_BAD_REQUEST', { field: `files[${i}].size`, problem: `is ${f.size} bytes; uploads are limited to ${ctx.config.uploadLimit} bytes.` });
      }
      const id = capabilityToken();
      const name = (f.filename ?? '').replace(/[^\w.\- ]+/g, '_').slice(0, 200) || 'file';
      const sig = uploadSignature(ctx.editorKey, id, org.id, exp, name);
      const uploadUrl = `${ctx.config.publicUrl}/files/${id}/upload?org=${encodeURIComponent(org.id)}&exp=${exp}&name=${encodeURIComponent(name)}&sig=${sig}`;
      return fileDto(ctx, { id, filename: name, mimeType: f.content_type ?? 'application/octet-stream', size: f.size ?? 0, createdAt: now.toISOString() }, { upload_url: uploadUrl, path: f.path ?? '' });
    });
    return reply.code(200).send(envelope(files));
  });

  app.get<{ Params: { id: string } }>('/files/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const file = /^[A-Za-z0-9_-]{16,64}$/.test(req.params.id) ? await ctx.store.getFile(req.params.id) : null;
    if (!file || file.orgId !== org.id) throw new AdsmithError('ADS_NOT_FOUND', { what: `File ${JSON.stringify(req.params.id)}` });
    return envelope(fileDto(ctx, file));
  });

  // The PUT carries raw bytes of any content type: its own scope, with one parser that keeps them as they are.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.config.uploadLimit }, (_req, body, done) => done(null, body));
    scope.put<{ Params: { id: string }; Querystring: { org?: string; exp?: string; name?: string; sig?: string } }>(
      '/files/:id/upload',
      { bodyLimit: ctx.config.uploadLimit },
      async (req, reply) => {
        const { id } = req.params;
        const orgId = String(req.query.org ?? '');
        const exp = Number(req.query.exp ?? 'NaN');
        const name = String(req.query.name ?? '');
        const sig = String(req.query.sig ?? '');
        if (!/^[A-Za-z0-9_-]{22,64}$/.test(id) || !Number.isInteger(exp) || !/^[0-9a-f]{64}$/.test(sig) || !safeEqual(sig, uploadSignature(ctx.editorKey, id, orgId, exp, name))) {
          throw new AdsmithError('ADS_UPLOAD_LINK_INVALID');
        }
        if (exp * 1000 < Date.now()) throw new AdsmithError('ADS_UPLOAD_LINK_EXPIRED', { expired_at: new Date(exp * 1000).toISOString() });
        if (await ctx.store.getFile(id)) throw new AdsmithError('ADS_UPLOAD_DONE', { file: id });
        if (!(await ctx.store.getOrg(orgId))) throw new AdsmithError('ADS_UPLOAD_LINK_INVALID');
        const buf = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (buf.byteLength === 0) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'body', problem: 'is empty: PUT the file bytes to the upload URL.' });
        const file = await saveUploadedFile(ctx, orgId, name, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), id);
        return reply.code(200).send(envelope(fileDto(ctx, file)));
      },
    );
  });
}
