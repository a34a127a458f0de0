import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createCanvas, Image } from '@napi-rs/canvas';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileBlobKey } from '../../blob/keys.js';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { makeFetcher } from '../../jobs/fetcher.js';
import { FONT_TYPES, sniff } from '../../net/sniff.js';
import { encode } from '../../node/encode.js';
import { shippedFontFiles } from '../../node/font-files.js';
import { fontInfo, type FontInfo } from '../../node/font-info.js';
import { ImageLoader } from '../../node/images.js';
import { FetchRefused } from '../../net/fetch.js';
import type { Org } from '../../storage/types.js';
import { authenticate, type ServerContext } from '../context.js';
import { EDITOR_SESSION_HEADER, editorSession, takeEditorRate } from '../editor/session.js';
import { resolveOwnFile } from '../assets/file-ownership.js';

/** Most device pixels a side the browser may ask an image for (a 2× 4K scene is well under). */
const MAX_DEVICE_SIDE = 8192;
/** Decoded images the server keeps for browsers between requests (each browser caches its own too). */
const SERVER_CACHE_BYTES = 64 * 1024 * 1024;

type SourceQuery = { src?: string; w?: string; h?: string };

/** Font files whose /v1/engine/font-info answer is kept (a few KB each). */
const FONT_INFOS_KEPT = 256;

/** PNG answers of /v1/engine/images kept in memory (the decoded images are cached separately by the loader). */
const ENCODED_CACHE_BYTES = 32 * 1024 * 1024;

interface EncodedImage {
  png: Uint8Array;
  kind: 'raster' | 'vector';
  warnings: string[];
}

/** A small LRU of encoded answers, bounded by their bytes. */
class EncodedImages {
  private entries = new Map<string, EncodedImage>();
  private bytes = 0;
  constructor(private readonly limit: number) {}

  get(key: string): EncodedImage | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: EncodedImage): void {
    if (entry.png.byteLength > this.limit / 4) return; // one huge image must not flush everything
    const old = this.entries.get(key);
    if (old) this.bytes -= old.png.byteLength;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.png.byteLength;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.limit) break;
      this.entries.delete(k);
      this.bytes -= e.png.byteLength;
    }
  }
}

function requireSource(q: SourceQuery): string {
  const src = q.src;
  if (typeof src !== 'string' || src === '') throw new AdsmithError('ADS_BAD_REQUEST', { field: 'src', problem: 'is required: the image source as the document names it (asset:…, https://…, data:…).' });
  if (src.length > 8192) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'src', problem: 'is longer than 8192 characters; upload the file (POST /v1/files) and use its URL.' });
  return src;
}

function deviceSide(raw: string | undefined, name: 'w' | 'h'): number {
  const n = raw === undefined ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEVICE_SIDE) {
    throw new AdsmithError('ADS_BAD_REQUEST', { field: name, problem: `must be the device-pixel ${name === 'w' ? 'width' : 'height'} the image is drawn at, an integer from 1 to ${MAX_DEVICE_SIDE}.` });
  }
  return n;
}

/**
 * What the browser host of the engine (web/src/engine-host) loads from the server, so that it
 * draws exactly what the Node host draws:
 * - the shipped font files and the list of them (public, cached for a year: names carry the package version);
 * - images decoded by the server's own loader (sharp for rasters, resvg for SVGs at the device size
 *   asked for), sent as lossless PNG: the browser never decodes a JPEG or rasterizes an SVG itself;
 * - a brand's own font files.
 * Bundled `asset:` sources are public; any other source needs the caller's token, and an uploaded file
 * only renders for the organisation that uploaded it (as in generate).
 */
export function registerEngineRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Every route calls authorize() before the loader sees a source, so the fetcher may read any file authorize let through.
  const fetchRemote = makeFetcher({ publicUrl: ctx.config.publicUrl, allowPrivateUrls: ctx.config.allowPrivateUrls, blob: ctx.blob, fileKey: fileBlobKey, mayRead: () => true });
  const images = new ImageLoader({ fetchRemote, allowFilePaths: false, cacheBytes: SERVER_CACHE_BYTES });
  // Encoding a photo as PNG costs tens of ms and every editor page asks for the same ones: keep the answers.
  const encoded = new EncodedImages(ENCODED_CACHE_BYTES);
  // Reading the shipped fonts' character maps takes a few hundred ms: do it once the server listens,
  // not during the first editor's load (servers built only for inject(), as most tests do, skip it).
  app.addHook('onListen', async () => {
    setTimeout(() => shippedFontFiles(), 0).unref();
  });

  /**
   * Who may read a source: anyone for bundled assets; otherwise an API token or an editor session
   * (the editor's x-adsmith-editor header: the job's organisation, rate-limited as its tokens), and an
   * uploaded file (any spelling of its URL) only its own organisation.
   */
  async function authorize(req: FastifyRequest, reply: FastifyReply, src: string): Promise<'public' | 'private'> {
    if (src.startsWith('asset:')) return 'public';
    let org: Org;
    if (req.headers[EDITOR_SESSION_HEADER] !== undefined) {
      const session = await editorSession(ctx, req);
      takeEditorRate(ctx, session, reply);
      org = session.org;
    } else {
      org = await authenticate(ctx, req, reply);
    }
    try {
      await resolveOwnFile(ctx, org.id, src);
    } catch (err) {
      if (!(err instanceof FetchRefused)) throw err;
      throw new AdsmithError('ADS_IMAGE_UNAVAILABLE', { element: 'image', src: src.slice(0, 120), reason: `the URL ${err.message}` });
    }
    return 'private';
  }

  app.get('/v1/engine/fonts', async (_req, reply) => {
    const { families, versions } = shippedFontFiles();
    const withUrls = families.map((f) => ({
      ...f,
      aliases: f.aliases.map((a) => ({ ...a, faces: a.faces.map((face) => ({ ...face, file: `/v1/engine/fonts/${versions.get(face.file)}/${face.file}` })) })),
    }));
    return reply.header('cache-control', 'public, max-age=300').send({ families: withUrls });
  });

  app.get<{ Params: { version: string; file: string } }>('/v1/engine/fonts/:version/:file', async (req, reply) => {
    const { paths } = shippedFontFiles();
    const path = paths.get(req.params.file);
    if (!path) throw new AdsmithError('ADS_NOT_FOUND', { what: `Font file ${JSON.stringify(req.params.file.slice(0, 80))} (GET /v1/engine/fonts lists the shipped ones)` });
    const type = req.params.file.endsWith('.woff2') ? 'font/woff2' : 'font/ttf';
    return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').header('access-control-allow-origin', '*').send(await readFile(path));
  });

  app.get<{ Querystring: SourceQuery }>('/v1/engine/images', async (req, reply) => {
    const src = requireSource(req.query);
    const w = deviceSide(req.query.w, 'w');
    const h = deviceSide(req.query.h, 'h');
    const access = await authorize(req, reply, src);
    const send = (entry: EncodedImage) =>
      reply
        .type('image/png')
        .header('cache-control', access === 'public' ? 'public, max-age=86400' : 'private, max-age=300')
        .header('x-adsmith-image-kind', entry.kind)
        .header('x-adsmith-warnings', encodeURIComponent(entry.warnings.join('\n')).slice(0, 4000))
        .header('access-control-expose-headers', 'x-adsmith-image-kind, x-adsmith-warnings')
        .send(entry.png);
    // A raster is the same at any size asked; an SVG is one raster per device size.
    const hit = encoded.get(src) ?? encoded.get(`${src}@${w}x${h}`);
    if (hit) return send(hit);
    const warnings: string[] = [];
    let release: () => void;
    try {
      release = await images.prepare([{ src, layerId: 'image', deviceWidth: w, deviceHeight: h }], warnings);
    } catch (err) {
      if (isAdsmithError(err)) throw err;
      throw new AdsmithError('ADS_IMAGE_DECODE_FAILED', { element: 'image', reason: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
    }
    try {
      const image = images.lookup().image(src, w, h);
      if (!image) throw new AdsmithError('ADS_IMAGE_DECODE_FAILED', { element: 'image', reason: 'the decoder produced no picture' });
      // ImageLoader keeps rasters decoded once (a Canvas) and SVGs rasterized per device size by resvg (an Image).
      const isVector = image instanceof Image;
      // A lossless copy of the server's decode: the browser draws these exact pixels.
      const canvas = createCanvas(image.width, image.height);
      const c2d = canvas.getContext('2d');
      c2d.drawImage(image as Parameters<typeof c2d.drawImage>[0], 0, 0);
      const pixels = c2d.getImageData(0, 0, image.width, image.height);
      const png = await encode(pixels, { format: 'png', scale: 1, pngMode: 'fast', quality: 90 });
      const entry: EncodedImage = { png, kind: isVector ? 'vector' : 'raster', warnings };
      encoded.set(isVector ? `${src}@${w}x${h}` : src, entry);
      return send(entry);
    } finally {
      release();
    }
  });

  /** A font source's bytes; only fonts: these routes are not a way to fetch arbitrary URLs through the server. */
  async function readFontSource(src: string): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await images.readSource(src);
    } catch (err) {
      throw new AdsmithError('ADS_BAD_REQUEST', { field: 'src', problem: `could not be read (${err instanceof Error ? err.message.slice(0, 160) : 'unknown'}).` });
    }
    if (!FONT_TYPES.includes(sniff(bytes).type)) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'src', problem: 'is not a font file (TTF, OTF, WOFF or WOFF2).' });
    return bytes;
  }

  app.get<{ Querystring: SourceQuery }>('/v1/engine/font-sources', async (req, reply) => {
    const src = requireSource(req.query);
    await authorize(req, reply, src);
    const bytes = await readFontSource(src);
    return reply.type('application/octet-stream').header('cache-control', 'private, max-age=300').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  // Reading a WOFF2's cmap decompresses it on the main thread (~0.6 s for a 1 MB CJK subset on a busy machine):
  // answers are kept by the bytes' hash, so the editor asking again for the same file costs a hash.
  const fontInfos = new Map<string, FontInfo>();

  // What a brand's font file is (names, weight, style) and which scripts its cmap covers: the brand kit editor shows it.
  app.get<{ Querystring: SourceQuery }>('/v1/engine/font-info', async (req, reply) => {
    const src = requireSource(req.query);
    await authorize(req, reply, src);
    const bytes = await readFontSource(src);
    const key = createHash('sha256').update(bytes).digest('hex');
    let info = fontInfos.get(key);
    if (!info) {
      const read = fontInfo(bytes);
      if ('problem' in read) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'src', problem: `is not a usable font: ${read.problem}.` });
      info = read;
      if (fontInfos.size >= FONT_INFOS_KEPT) fontInfos.delete(fontInfos.keys().next().value!);
      fontInfos.set(key, info);
    }
    return reply.header('cache-control', 'private, max-age=300').send(info);
  });
}
