import { extractSubject, IsnetCutout, subjectBox, type CutoutOptions } from './cutout.js';
import { lifestyleLayers, lifestyleShot, subjectInFrame } from './compose.js';
import { expandImage } from './expand.js';
import { decodeImage, drawOver, newImage, sha256 } from './image.js';
import { clipToShape, subjectArea, unionRect, type FrameLayers, type FrameLayout, type Rect } from './layers.js';
import { placeSubject, type PhotoTransform } from './placement.js';
import { ProviderError } from './remote/errors.js';
import type {
  FrameRequest,
  PreparedSmartImage,
  ProviderFallback,
  ProviderOperation,
  RawImage,
  ServiceStatus,
  SmartImageFrame,
  SmartImageProvider,
  SmartImageRequest,
  SmartImageService,
} from './types.js';

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
  /**
   * After the provider failed for want of time, network or a valid key, skip it for this
   * long (falling back at once, recorded) so each scene does not wait out its own timeout.
   * Default 60 000 ms; 0 = always try.
   */
  providerCooldownMs?: number;
}

/** The warning line a job records for a fallback. */
export function fallbackWarning(f: ProviderFallback): string {
  return `smart image: ${f.from} ${f.operation} failed (${f.reason}); the offline generator was used instead.`;
}

type CutOut = { photo: RawImage; alpha: Uint8Array; by: string; ms: number; fallback?: ProviderFallback };

/** The offline smart-image service (ISNet cut-out, procedural scenes, content-aware expand). */
export class OfflineSmartImageService implements SmartImageService {
  readonly cutout: IsnetCutout;
  private readonly cache = new Map<string, Promise<CutOut>>();
  /** Until when the provider is skipped, and why (see providerCooldownMs). */
  private cooling: { until: number; reason: string } | null = null;
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
    const { photo, alpha, by, ms, fallback } = await entry;
    return {
      ...(fallback ? { fallback, warnings: [fallbackWarning(fallback)] } : { warnings: [] }),
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

  private async cutOut(bytes: Uint8Array): Promise<CutOut> {
    const t = performance.now();
    const photo = await decodeImage(bytes);
    const p = this.options.provider;
    let fallback: ProviderFallback | undefined;
    if (p?.removeBackground) {
      const r = await this.tryProvider(p, 'remove_background', () => p.removeBackground!(photo, bytes), 'used offline ISNet');
      if ('result' in r && r.result.length === photo.width * photo.height) return { photo, alpha: r.result, by: p.name, ms: performance.now() - t };
      if ('fallback' in r) fallback = r.fallback;
    }
    const alpha = await this.cutout.matte(photo);
    return { photo, alpha, by: 'isnet', ms: performance.now() - t, ...(fallback ? { fallback } : {}) };
  }

  /** The frame's picture (RGBA, opaque) with who made it and any fallback; a RawImage for older callers. */
  async renderFrame(prep: PreparedSmartImage, frame: FrameRequest): Promise<SmartImageFrame> {
    const t = placeSubject(prep.box, frame, frame.placement);
    const rect = { x: t.x, y: t.y, width: prep.photo.width * t.scale, height: prep.photo.height * t.scale };
    const remote = await this.fromProvider(prep, frame, rect);
    if ('result' in remote) return remote.result;
    const img = prep.operation === 'expand_image' ? await expandImage(prep.photo, prep.alpha, frame, rect, { seed: prep.seed }) : await lifestyleShot(prep, frame);
    return withFallback({ ...img, provider: 'offline' }, remote.fallback);
  }

  /**
   * A frame as a designed region of the scene (see layers.ts): the fill of the region's shape, and the subject
   * as its own layer. expand_image and a provider's picture are one image that fills the region, with the
   * subject where the element's box places it; the cut-out is drawn again exactly over it as the subject layer,
   * so the template's elements between the two (an accent shape) stay behind the product.
   */
  async renderLayers(prep: PreparedSmartImage, layout: FrameLayout): Promise<FrameLayers & Omit<SmartImageFrame, keyof RawImage>> {
    const region = { width: layout.region.width, height: layout.region.height, placement: layout.placement };
    // The subject is placed in the element's box; the picture covers the region around it (region pixels).
    const box = subjectArea(layout, prep.box.cut);
    const t = placeSubject(prep.box, box, layout.placement);
    const rect = { x: t.x + box.x - layout.region.x, y: t.y + box.y - layout.region.y, width: prep.photo.width * t.scale, height: prep.photo.height * t.scale };
    const remote = await this.fromProvider(prep, region, rect);
    if ('result' in remote) return { ...remote.result, fill: clipToShape(remote.result, layout.shape, layout.radius), subject: await subjectLayer(prep, box, layout.region, t) };
    if (prep.operation === 'expand_image') {
      const img = await expandImage(prep.photo, prep.alpha, region, rect, { seed: prep.seed });
      return withFallback({ provider: 'offline', fill: clipToShape(img, layout.shape, layout.radius), subject: await subjectLayer(prep, box, layout.region, t) }, remote.fallback);
    }
    return withFallback({ provider: 'offline', ...(await lifestyleLayers(prep, layout)) }, remote.fallback);
  }

  /** The configured provider's picture for this frame, or why the offline generator draws it (a fallback to record, or nothing when none applies). */
  private async fromProvider(prep: PreparedSmartImage, frame: FrameRequest, rect: Rect): Promise<{ result: SmartImageFrame } | { fallback?: ProviderFallback }> {
    const p = this.options.provider;
    if (prep.operation === 'expand_image' && p?.expand) {
      const r = await this.tryProvider(p, 'expand_image', () => p.expand!(prep.photo, frame, rect, prep.seed));
      if ('result' in r) return { result: { ...r.result, provider: p.name, warnings: [] } };
      return 'fallback' in r ? { fallback: r.fallback } : {};
    }
    if (prep.operation === 'lifestyle_shot_by_text' && p?.lifestyleShot && prep.input && !prep.input.startsWith('#')) {
      const r = await this.tryProvider(p, 'lifestyle_shot_by_text', () => p.lifestyleShot!(prep.subject, prep.input!, frame, prep.seed, rect));
      if ('result' in r) return { result: { ...r.result, provider: p.name, warnings: [] } };
      return 'fallback' in r ? { fallback: r.fallback } : {};
    }
    return {};
  }

  /**
   * Ask the provider; a result, `{}` when it declined (null: not supported), or the
   * fallback to record when it failed or is cooling down after a failure.
   */
  private async tryProvider<T>(
    p: SmartImageProvider,
    operation: ProviderOperation,
    fn: () => Promise<T | null>,
    instead = 'used offline',
  ): Promise<{ result: T } | { fallback: ProviderFallback } | Record<string, never>> {
    const now = Date.now();
    let reason: string;
    if (this.cooling && now < this.cooling.until) {
      reason = `skipped: it ${this.cooling.reason}`;
    } else {
      try {
        const result = await fn();
        this.cooling = null;
        return result === null ? {} : { result };
      } catch (e) {
        reason = (e as Error).message;
        const cooldown = this.options.providerCooldownMs ?? 60_000;
        // A slow, unreachable or unauthorised provider will be so for the next scene too.
        if (cooldown > 0 && e instanceof ProviderError && ['timeout', 'network', 'auth'].includes(e.kind))
          this.cooling = { until: Date.now() + cooldown, reason: `failed ${new Date().toISOString()} (${reason})` };
      }
    }
    const fallback: ProviderFallback = { from: p.name, operation, reason };
    this.options.onEvent?.({ kind: 'provider_failed', provider: p.name, detail: `${operation}: ${reason}; ${instead}` });
    return { fallback };
  }
}

/** Marks a picture the offline generator drew because the provider failed: the fallback and its warning line. */
function withFallback<T extends { provider: string }>(frame: T, fallback: ProviderFallback | undefined): T & { warnings: string[]; fallback?: ProviderFallback } {
  return fallback ? { ...frame, fallback, warnings: [fallbackWarning(fallback)] } : { ...frame, warnings: [] };
}

/** The cut-out alone, where `t` put the photo in `box`, on a transparent canvas over the box and region. */
async function subjectLayer(prep: PreparedSmartImage, box: Rect, region: Rect, t: PhotoTransform): Promise<{ img: RawImage; rect: Rect }> {
  const canvas = unionRect(box, region);
  const subj = await subjectInFrame(prep, { scale: t.scale, x: t.x + box.x - canvas.x, y: t.y + box.y - canvas.y });
  const img = newImage(canvas.width, canvas.height);
  drawOver(img, subj.img, subj.x, subj.y);
  return { img, rect: canvas };
}
