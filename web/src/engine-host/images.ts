import { AdsmithError } from '../../../src/errors/catalogue.js';
import type { DrawableImage } from '../../../src/engine/canvas.js';
import type { LoadedImages } from '../../../src/engine/host.js';
import type { AssetRequest } from '../../../src/engine/paint/assets.js';
import { EngineRequestError, type Api } from './api.js';

type Kind = 'raster' | 'vector';

/** Device sizes of one SVG kept at once (a scene draws a logo at one size; a resize passes through many). */
const MAX_SIZES_PER_VECTOR = 8;

/**
 * Images for the browser engine, decoded by the server (GET /v1/engine/images): rasters by
 * sharp (EXIF orientation, size cap) and SVGs rasterized by resvg at the device size they
 * are drawn at, both sent as lossless PNG — so the browser draws the very pixels the Node
 * host draws, and never decodes a JPEG or an SVG its own way. Each decode is kept as an
 * ImageBitmap for the page's life: a re-render while dragging loads nothing.
 */
export class BrowserImages {
  /** Raster: keyed by source. Vector: keyed by source@WxH (one raster per device size). */
  private bitmaps = new Map<string, Promise<ImageBitmap>>();
  private ready = new Map<string, ImageBitmap>();
  /** What each source turned out to be, learnt from its first answer. */
  private kinds = new Map<string, Kind>();
  /** Vector rasters kept per source, oldest first: resizing a logo asks for a new size every frame. */
  private vectorKeys = new Map<string, string[]>();

  /** Keeps the most recent MAX_SIZES_PER_VECTOR rasters of an SVG source; older ones are closed. */
  private rememberVector(src: string, key: string): void {
    const keys = (this.vectorKeys.get(src) ?? []).filter((k) => k !== key);
    keys.push(key);
    while (keys.length > MAX_SIZES_PER_VECTOR) {
      const old = keys.shift()!;
      this.ready.get(old)?.close();
      this.ready.delete(old);
      this.bitmaps.delete(old);
    }
    this.vectorKeys.set(src, keys);
  }

  /** Warnings the server gave for a source (e.g. SVG references it removed), repeated on every render like the Node host's. */
  private sourceWarnings = new Map<string, string>();

  constructor(private readonly api: Api) {}

  private key(src: string, w: number, h: number): string {
    return this.kinds.get(src) === 'raster' ? src : `${src}@${w}x${h}`;
  }

  private async fetchBitmap(req: AssetRequest): Promise<ImageBitmap> {
    const q = new URLSearchParams({ src: req.src, w: String(req.deviceWidth), h: String(req.deviceHeight) });
    let res: Response;
    try {
      res = await this.api.get(`/v1/engine/images?${q.toString()}`);
    } catch (err) {
      if (err instanceof EngineRequestError) throw err;
      throw new AdsmithError('ADS_IMAGE_UNAVAILABLE', { element: req.layerId, src: abbreviate(req.src), reason: err instanceof Error ? err.message : String(err) });
    }
    const kind: Kind = res.headers.get('x-adsmith-image-kind') === 'vector' ? 'vector' : 'raster';
    this.kinds.set(req.src, kind);
    const warning = decodeURIComponent(res.headers.get('x-adsmith-warnings') ?? '');
    if (warning) this.sourceWarnings.set(req.src, warning.replace(/element "image"/g, `element "${req.layerId}"`));
    // The PNG is untagged sRGB straight from the server's decoder: no colour conversion, straight alpha as drawn.
    return createImageBitmap(await res.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'default' });
  }

  private loadOne(req: AssetRequest): Promise<ImageBitmap> {
    const known = this.kinds.has(req.src);
    const key = this.key(req.src, req.deviceWidth, req.deviceHeight);
    let pending = this.bitmaps.get(key);
    if (!pending) {
      pending = this.fetchBitmap(req).then((bitmap) => {
        // The first answer tells the kind: file it under its real key.
        const real = this.key(req.src, req.deviceWidth, req.deviceHeight);
        this.ready.set(real, bitmap);
        if (this.kinds.get(req.src) === 'vector') this.rememberVector(req.src, real);
        if (!known && real !== key) {
          this.bitmaps.delete(key);
          this.bitmaps.set(real, Promise.resolve(bitmap));
        }
        return bitmap;
      });
      pending.catch(() => this.bitmaps.delete(key)); // let a later render retry
      this.bitmaps.set(key, pending);
    }
    return pending;
  }

  /** Loads every image of a scene; a failure names the element, as in the Node host. */
  async load(requests: readonly AssetRequest[]): Promise<LoadedImages> {
    await Promise.all(
      requests.map(async (req) => {
        try {
          await this.loadOne(req);
        } catch (err) {
          if (err instanceof AdsmithError) throw err;
          const reason = err instanceof Error ? err.message : String(err);
          const status = err instanceof EngineRequestError ? err.status : 0;
          // 4xx from the decoder route: the bytes are not a picture; anything else: it could not be reached.
          const code = status === 422 && /decoded/.test(reason) ? 'ADS_IMAGE_DECODE_FAILED' : 'ADS_IMAGE_UNAVAILABLE';
          throw new AdsmithError(code, { element: req.layerId, src: abbreviate(req.src), reason: reason.replace(/\.$/, '') }, { cause: err });
        }
      }),
    );
    const warnings = [...new Set(requests.map((r) => r.src))].flatMap((src) => {
      const w = this.sourceWarnings.get(src);
      return w ? [w] : [];
    });
    return {
      lookup: {
        image: (src: string, w: number, h: number): DrawableImage | undefined => this.ready.get(this.key(src, w, h)),
      },
      release: () => undefined, // kept for the page's life: the editor redraws the same images many times a second
      warnings,
    };
  }

  /** Drops every cached decode of a source (e.g. an image the user replaced). */
  forget(src: string): void {
    for (const map of [this.bitmaps, this.ready] as const) {
      for (const key of [...map.keys()]) if (key === src || key.startsWith(`${src}@`)) map.delete(key);
    }
    this.kinds.delete(src);
    this.vectorKeys.delete(src);
    this.sourceWarnings.delete(src);
  }
}

function abbreviate(src: string): string {
  if (src.startsWith('data:')) return `${src.slice(0, 30)}…`;
  return src.length > 120 ? `${src.slice(0, 117)}…` : src;
}
