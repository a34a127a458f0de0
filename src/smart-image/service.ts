import { extractSubject, IsnetCutout, subjectBox, type CutoutOptions } from './cutout.js';
import { lifestyleShot } from './compose.js';
import { expandImage } from './expand.js';
import { decodeImage, sha256 } from './image.js';
import { placeSubject } from './placement.js';
import type { FrameRequest, PreparedSmartImage, RawImage, ServiceStatus, SmartImageProvider, SmartImageRequest, SmartImageService } from './types.js';

export interface SmartImageEvent {
  kind: 'provider_failed' | 'cache_hit';
  provider?: string;
  detail: string;
}

export interface OfflineServiceOptions {
  cutout?: CutoutOptions | IsnetCutout;
  /** Prepared images kept (by content hash). Default 16. */
  cacheSize?: number;
  /** A remote provider tried first; offline is used when it is absent, answers null or fails. */
  provider?: SmartImageProvider;
  /** Called for what the job should record (fallbacks, cache hits). */
  onEvent?: (e: SmartImageEvent) => void;
}

/** The offline smart-image service (ISNet cut-out, procedural scenes, content-aware expand). */
export class OfflineSmartImageService implements SmartImageService {
  readonly cutout: IsnetCutout;
  private readonly cache = new Map<string, Promise<{ photo: RawImage; alpha: Uint8Array; by: string; ms: number }>>();
  private readonly cacheSize: number;

  constructor(private readonly options: OfflineServiceOptions = {}) {
    this.cutout = options.cutout instanceof IsnetCutout ? options.cutout : new IsnetCutout(options.cutout);
    this.cacheSize = options.cacheSize ?? 16;
  }

  /** Load the model now (else on first use). Never throws: a failure shows in status(). */
  async warm(): Promise<ServiceStatus> {
    await this.cutout.load();
    return this.status();
  }

  status(): ServiceStatus {
    return this.cutout.status();
  }

  async prepare(req: SmartImageRequest): Promise<PreparedSmartImage> {
    const imageHash = sha256(req.image);
    const seed = req.seed ?? 1;
    let entry = this.cache.get(imageHash);
    const hit = entry !== undefined;
    if (entry) {
      this.cache.delete(imageHash); // refresh LRU position
      this.options.onEvent?.({ kind: 'cache_hit', detail: `cut-out ${imageHash.slice(0, 12)} reused` });
    } else {
      entry = this.cutOut(req.image);
      entry.catch(() => this.cache.delete(imageHash));
    }
    this.cache.set(imageHash, entry);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    const { photo, alpha, by, ms } = await entry;
    return {
      key: sha256(imageHash, '\0', req.operation, '\0', req.input ?? '', '\0', String(seed)),
      imageHash,
      operation: req.operation,
      input: req.input,
      seed,
      photo,
      alpha,
      subject: extractSubject(photo, alpha),
      box: subjectBox(alpha, photo.width, photo.height),
      cutoutBy: by,
      prepareMs: hit ? 0 : ms,
    };
  }

  private async cutOut(bytes: Uint8Array): Promise<{ photo: RawImage; alpha: Uint8Array; by: string; ms: number }> {
    const t = performance.now();
    const photo = await decodeImage(bytes);
    const p = this.options.provider;
    if (p?.removeBackground) {
      try {
        const a = await p.removeBackground(photo, bytes);
        if (a && a.length === photo.width * photo.height) return { photo, alpha: a, by: p.name, ms: performance.now() - t };
      } catch (e) {
        this.options.onEvent?.({ kind: 'provider_failed', provider: p.name, detail: `remove_background: ${(e as Error).message}; used offline ISNet` });
      }
    }
    const alpha = await this.cutout.matte(photo);
    return { photo, alpha, by: 'isnet', ms: performance.now() - t };
  }

  async renderFrame(prep: PreparedSmartImage, frame: FrameRequest): Promise<RawImage> {
    const t = placeSubject(prep.box, frame, frame.placement);
    const p = this.options.provider;
    if (prep.operation === 'expand_image') {
      const rect = { x: t.x, y: t.y, width: prep.photo.width * t.scale, height: prep.photo.height * t.scale };
      if (p?.expand) {
        const r = await this.tryProvider(p, 'expand', () => p.expand!(prep.photo, frame, rect, prep.seed));
        if (r) return r;
      }
      return expandImage(prep.photo, prep.alpha, frame, rect);
    }
    if (p?.lifestyleShot && prep.input && !prep.input.startsWith('#')) {
      const r = await this.tryProvider(p, 'lifestyle_shot_by_text', () => p.lifestyleShot!(prep.subject, prep.input!, frame, prep.seed));
      if (r) return r;
    }
    return lifestyleShot(prep, frame);
  }

  private async tryProvider(p: SmartImageProvider, what: string, fn: () => Promise<RawImage | null>): Promise<RawImage | null> {
    try {
      return await fn();
    } catch (e) {
      this.options.onEvent?.({ kind: 'provider_failed', provider: p.name, detail: `${what}: ${(e as Error).message}; used offline` });
      return null;
    }
  }
}
