import { createCanvas, Image, type Canvas } from '@napi-rs/canvas';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Context2D, DrawableImage } from '../engine/canvas.js';
import type { AssetLookup, AssetRequest, DeviceBitmap, Smoothing } from '../engine/paint/assets.js';
import type { Rect } from '../engine/layout/image-fit.js';
import { AdsmithError } from '../errors/catalogue.js';
import { facesFor } from './fonts.js';
import { describeRemoved, sanitiseSvg, type SvgReference } from './svg-safety.js';
import type { RemoteFetcher } from './types.js';

/** Bundled assets (`asset:` sources) live in src/assets. */
export const ASSET_ROOT = fileURLToPath(new URL('../assets/', import.meta.url));

/** Decoded images are capped at this many pixels on the long side: ads never draw larger, memory stays bounded. */
const MAX_DECODED_SIDE = 4096;
/** Decompression-bomb guard for inputs (pixels before resizing). */
const MAX_INPUT_PIXELS = 80_000_000;

/** `removed`: the outside references taken out of the SVG before it was kept (see svg-safety.ts). */
type Decoded = { kind: 'raster'; image: Canvas } | { kind: 'svg'; svg: Buffer; width: number; height: number; removed: string | null; options: ResvgRenderOptions };

export interface ImageLoaderOptions {
  fetchRemote?: RemoteFetcher;
  /** CLI only: let sources be local paths or file: URLs. */
  allowFilePaths?: boolean;
  /** Base directory for relative file paths. */
  baseDir?: string;
  /**
   * Most bytes of decoded images kept between renders (default 256 MiB). A server
   * sees a new product photo in most requests; without a bound the cache grows for
   * the life of the process. Images in use by a render in progress are never evicted.
   */
  cacheBytes?: number;
  /**
   * Called with every source a scene asks for, cached or not, before it is used; throws when this render may not
   * use it. The cache is shared by every organisation a thread renders for: without this, a picture one
   * organisation may read would be drawn from the cache for another (server: src/jobs/fetcher.ts sourceGuard).
   */
  authorize?: (src: string) => void | Promise<void>;
}

const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
/**
 * Resampled bitmaps kept per source (most recently used): one per scene size a template draws it at, and a few
 * more for the editor's sizes. They are counted in cacheBytes and go with their source when it is evicted.
 */
const RESAMPLED_PER_SOURCE = 16;
/**
 * Painted bitmaps (gradient backgrounds) kept, most recently used: one per scene size of a template or two.
 * Counted in cacheBytes; when the cache is over budget they go first, oldest first.
 */
const PAINTED_KEPT = 12;

/**
 * Markup is always an SVG to us: it goes to resvg after sanitising, never to sharp (whose librsvg has
 * its own rules for references). Anything XML-like that is not SVG then fails to decode, as it should.
 */
export function isSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<');
}

/**
 * resvg never looks at the host: no system fonts (output must not depend on the machine, and loading
 * them costs time on every logo), and SVG text is set in a shipped font only when the document has text.
 */
function resvgOptions(svg: Buffer): ResvgRenderOptions {
  if (!/<(?:[\w.-]+:)?(?:text|tspan|textPath)[\s>/]/.test(svg.toString('utf8'))) return { font: { loadSystemFonts: false } };
  const fontFiles = [400, 700].flatMap((w) => facesFor('Noto Sans SC', w, 'normal').map((f) => f.path));
  return { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Noto Sans SC', sansSerifFamily: 'Noto Sans SC', serifFamily: 'Noto Sans SC' } };
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').slice(0, 200);
}

/**
 * The raster decode every image goes through: EXIF orientation applied, at most MAX_DECODED_SIDE on the
 * long side, RGBA. Uploads and the smart-image input are checked with this same call, so bytes accepted
 * there decode here.
 */
export async function decodeRasterPixels(bytes: Uint8Array): Promise<{ data: Buffer; info: { width: number; height: number } }> {
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate() // honour EXIF orientation
    .resize({ width: MAX_DECODED_SIDE, height: MAX_DECODED_SIDE, fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/**
 * Decodes bytes exactly as rendering will (SVG: sanitised and parsed by resvg; raster: decodeRasterPixels)
 * and throws when they cannot be drawn. Answers the outside references an SVG makes (removed when drawn).
 */
export async function checkImageDecodes(bytes: Uint8Array): Promise<{ svgReferences: SvgReference[] }> {
  if (isSvg(bytes)) {
    const { svg, removed } = sanitiseSvg(bytes);
    const probe = new Resvg(svg, resvgOptions(svg));
    if (!(probe.width > 0 && probe.height > 0)) throw new Error('the SVG has no size');
    return { svgReferences: removed };
  }
  await decodeRasterPixels(bytes);
  return { svgReferences: [] };
}

/**
 * Loads, decodes and caches the images scenes draw. Raster images are decoded
 * once with sharp (EXIF orientation applied, alpha kept); SVGs are kept as
 * vectors and rasterized by resvg at each device size they are drawn at.
 */
export class ImageLoader {
  private decoded = new Map<string, Promise<Decoded>>();
  /** Decoded entries, filled as decodes finish (prepare awaits them). Map order is recency: oldest first. */
  private resolved = new Map<string, Decoded>();
  private svgRasters = new Map<string, Image>();
  /** Per source: its pixels already resampled to a destination's device pixels (see resampled()). */
  private resampledBySrc = new Map<string, Map<string, Canvas>>();
  /** Bitmaps painted by the engine (see painted()), by key; map order is recency, oldest first. */
  private paintedByKey = new Map<string, Canvas>();
  /** Renders in progress per source: pinned sources are not evicted. */
  private pins = new Map<string, number>();
  private readonly cacheBytes: number;

  constructor(private readonly options: ImageLoaderOptions = {}) {
    this.cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  }

  /** Bytes the decoded images and SVG rasters hold (approximate: 4 bytes a pixel). */
  get cachedBytes(): number {
    let total = 0;
    for (const d of this.resolved.values()) total += d.kind === 'raster' ? d.image.width * d.image.height * 4 : d.svg.byteLength;
    for (const img of this.svgRasters.values()) total += img.width * img.height * 4;
    for (const bitmaps of this.resampledBySrc.values()) for (const c of bitmaps.values()) total += c.width * c.height * 4;
    for (const c of this.paintedByKey.values()) total += c.width * c.height * 4;
    return total;
  }

  /** Drops one source (and its SVG rasters) from the cache, e.g. a per-request picture that will not be drawn again. */
  forget(src: string): boolean {
    let dropped = this.decoded.delete(src);
    dropped = this.resolved.delete(src) || dropped;
    for (const key of [...this.svgRasters.keys()]) if (key.startsWith(`${src}@`)) dropped = this.svgRasters.delete(key) || dropped;
    dropped = this.resampledBySrc.delete(src) || dropped;
    return dropped;
  }

  /** Evicts least recently used sources not in use until the cache fits its budget. */
  private evict(): void {
    let total = this.cachedBytes;
    // Painted bitmaps are redrawn in a few milliseconds; decoded photos may cost a fetch: these go first.
    for (const [key, c] of this.paintedByKey) {
      if (total <= this.cacheBytes) return;
      this.paintedByKey.delete(key);
      total -= c.width * c.height * 4;
    }
    for (const src of [...this.resolved.keys()]) {
      if (total <= this.cacheBytes) return;
      if (this.pins.has(src)) continue;
      const before = total;
      this.forget(src);
      total = this.cachedBytes;
      if (total === before) break;
    }
  }

  async readSource(src: string): Promise<Uint8Array> {
    if (src.startsWith('asset:')) {
      const rel = src.slice('asset:'.length).replace(/^\/+/, '');
      const path = resolve(ASSET_ROOT, rel);
      if (!path.startsWith(ASSET_ROOT)) throw new Error('asset path leaves the asset folder');
      return readFile(path);
    }
    if (src.startsWith('data:')) {
      const comma = src.indexOf(',');
      if (comma < 0) throw new Error('malformed data: URI');
      const meta = src.slice(5, comma);
      const body = src.slice(comma + 1);
      return meta.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
    }
    if (/^https?:\/\//i.test(src)) {
      if (!this.options.fetchRemote) throw new Error('remote images are not enabled in this renderer');
      return this.options.fetchRemote(src);
    }
    if (this.options.allowFilePaths) {
      const path = src.startsWith('file:') ? fileURLToPath(src) : isAbsolute(src) ? src : resolve(this.options.baseDir ?? process.cwd(), src);
      return readFile(path);
    }
    throw new Error('the source must be an http(s) URL, a data: URI or an asset: path');
  }

  private async decode(src: string): Promise<Decoded> {
    const bytes = await this.readSource(src);
    if (isSvg(bytes)) {
      // Outside references (file paths, URLs) are removed before resvg ever sees the document; a DTD is refused.
      const { svg, removed } = sanitiseSvg(bytes);
      const options = resvgOptions(svg);
      const probe = new Resvg(svg, options);
      return { kind: 'svg', svg, width: probe.width, height: probe.height, removed: removed.length ? describeRemoved(removed) : null, options };
    }
    const { data, info } = await decodeRasterPixels(bytes);
    const canvas = createCanvas(info.width, info.height);
    const ctx = canvas.getContext('2d');
    const imageData = ctx.createImageData(info.width, info.height);
    imageData.data.set(data);
    ctx.putImageData(imageData, 0, 0);
    return { kind: 'raster', image: canvas };
  }

  /**
   * Load every requested image; a failure names the element and the reason.
   * Answers a release function: call it once the scene is painted, so that its
   * images may be evicted again.
   */
  async prepare(requests: readonly AssetRequest[], warnings?: string[]): Promise<() => void> {
    const sources = [...new Set(requests.map((r) => r.src))];
    for (const src of sources) this.pins.set(src, (this.pins.get(src) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const src of sources) {
        const n = (this.pins.get(src) ?? 1) - 1;
        if (n > 0) this.pins.set(src, n);
        else this.pins.delete(src);
      }
      this.evict();
    };
    try {
      await this.load(requests, warnings);
    } catch (err) {
      release();
      throw err;
    }
    return release;
  }

  private async load(requests: readonly AssetRequest[], warnings?: string[]): Promise<void> {
    await Promise.all(
      requests.map(async (req) => {
        let decoded: Decoded;
        try {
          await this.options.authorize?.(req.src);
          let pending = this.decoded.get(req.src);
          if (!pending) {
            pending = this.decode(req.src);
            this.decoded.set(req.src, pending);
            pending.catch(() => this.decoded.delete(req.src)); // let a later request retry
          }
          decoded = await pending;
        } catch (err) {
          // A refused fetch (guarded fetch, another organisation's file) is "could not be loaded", not "could not be decoded".
          const refused = err instanceof Error && err.name === 'FetchRefused';
          const code = refused || (err instanceof Error && /ENOENT|remote|source must|fetch|asset path/.test(err.message)) ? 'ADS_IMAGE_UNAVAILABLE' : 'ADS_IMAGE_DECODE_FAILED';
          throw new AdsmithError(code, { element: req.layerId, src: abbreviate(req.src), reason: refused ? `the URL ${describe(err)}` : describe(err) }, { cause: err });
        }
        this.resolved.delete(req.src); // re-insert: most recently used last
        this.resolved.set(req.src, decoded);
        if (decoded.kind === 'svg' && decoded.removed) {
          warnings?.push(`element "${req.layerId}": its SVG refers to things outside itself, which were removed (only data: URIs are drawn): ${decoded.removed}.`);
        }
        if (decoded.kind === 'svg') this.rasterizeSvg(req.src, decoded, req.deviceWidth, req.deviceHeight);
      }),
    );
  }

  private rasterizeSvg(src: string, svg: Extract<Decoded, { kind: 'svg' }>, boxW: number, boxH: number): Image {
    const key = `${src}@${boxW}x${boxH}`;
    let img = this.svgRasters.get(key);
    if (!img) {
      // Contain the vector in the box at device resolution: crisp at any scale.
      const aspect = svg.width / svg.height;
      const fitWidth = boxW / boxH < aspect;
      const resvg = new Resvg(svg.svg, { ...svg.options, fitTo: fitWidth ? { mode: 'width', value: boxW } : { mode: 'height', value: boxH } });
      img = new Image();
      img.src = resvg.render().asPng();
      this.svgRasters.set(key, img);
    }
    return img;
  }

  /** Synchronous view for painting; call prepare() first. */
  lookup(): AssetLookup {
    return {
      image: (src: string, w: number, h: number): DrawableImage | undefined => {
        const raster = this.svgRasters.get(`${src}@${w}x${h}`);
        if (raster) return raster;
        const d = this.resolved.get(src);
        return d?.kind === 'raster' ? d.image : undefined;
      },
      resampled: (src, image, source, dest, smoothing) => this.resampled(src, image, source, dest, smoothing),
      painted: (key, width, height, draw) => this.painted(key, width, height, draw),
    };
  }

  /** What `draw` paints on a cleared width × height canvas, kept under `key` (gradient backgrounds). */
  private painted(key: string, width: number, height: number, draw: (ctx: Context2D) => void): DrawableImage | undefined {
    if (!(width > 0 && height > 0) || width * height > MAX_DECODED_SIDE * MAX_DECODED_SIDE) return undefined;
    const id = `${key}|${width}x${height}`;
    let bitmap = this.paintedByKey.get(id);
    if (bitmap) {
      this.paintedByKey.delete(id); // most recently used last
    } else {
      bitmap = createCanvas(width, height);
      draw(bitmap.getContext('2d') as unknown as Context2D);
      if (this.paintedByKey.size >= PAINTED_KEPT) this.paintedByKey.delete(this.paintedByKey.keys().next().value!);
    }
    this.paintedByKey.set(id, bitmap);
    return bitmap;
  }

  /**
   * `source` of an image drawn onto the device pixels `dest` covers, kept for the next scene and job that
   * draw it there. The bitmap is drawn exactly as the scene's canvas would draw it (same sampling positions:
   * only a whole-pixel offset differs, and the fractional part of dest is kept), so copying it 1:1 gives the
   * scene the pixels a direct draw would, resampling a large photo once rather than at every render.
   */
  private resampled(src: string, image: DrawableImage, source: Rect, dest: Rect, smoothing: Smoothing): DeviceBitmap | undefined {
    if (!this.resolved.has(src)) return undefined; // only images this loader holds (and evicts) are kept
    const x = Math.floor(dest.x);
    const y = Math.floor(dest.y);
    const width = Math.ceil(dest.x + dest.w) - x;
    const height = Math.ceil(dest.y + dest.h) - y;
    if (!(width > 0 && height > 0) || width * height > MAX_DECODED_SIDE * MAX_DECODED_SIDE) return undefined;
    const offsetX = dest.x - x;
    const offsetY = dest.y - y;
    // Pixels drawn 1:1 on the grid are a plain copy already: nothing to resample or keep.
    const whole = source.x === 0 && source.y === 0 && source.w === image.width && source.h === image.height;
    if (whole && offsetX === 0 && offsetY === 0 && dest.w === image.width && dest.h === image.height) return undefined;
    const key = `${image.width}x${image.height}|${smoothing}|${source.x},${source.y},${source.w},${source.h}|${offsetX},${offsetY},${dest.w},${dest.h}`;
    let bitmaps = this.resampledBySrc.get(src);
    if (!bitmaps) this.resampledBySrc.set(src, (bitmaps = new Map()));
    let bitmap = bitmaps.get(key);
    if (bitmap) {
      bitmaps.delete(key); // most recently used last
    } else {
      bitmap = createCanvas(width, height);
      const ctx = bitmap.getContext('2d');
      if (smoothing === 'high') {
        ctx.imageSmoothingEnabled = true;
        ctx.imageSmoothingQuality = 'high';
      }
      ctx.drawImage(image as Canvas, source.x, source.y, source.w, source.h, offsetX, offsetY, dest.w, dest.h);
      if (bitmaps.size >= RESAMPLED_PER_SOURCE) bitmaps.delete(bitmaps.keys().next().value!);
    }
    bitmaps.set(key, bitmap);
    return { image: bitmap, x, y };
  }
}

function abbreviate(src: string): string {
  if (src.startsWith('data:')) return `${src.slice(0, 30)}…`;
  return src.length > 120 ? `${src.slice(0, 117)}…` : src;
}
