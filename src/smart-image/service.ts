import { extractSubject, IsnetCutout, subjectBox, type CutoutOptions } from './cutout.js';
import { lifestyleShot } from './compose.js';
import { expandImage } from './expand.js';
import { decodeImage, sha256 } from './image.js';
import { placeSubject } from './placement.js';
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
    const p = this.options.provider;
    const rect = { x: t.x, y: t.y, width: prep.photo.width * t.scale, height: prep.photo.height * t.scale };
    let fallback: ProviderFallback | undefined;
    if (prep.operation === 'expand_image' && p?.expand) {
      const r = await this.tryProvider(p, 'expand_image', () => p.expand!(prep.photo, frame, rect, prep.seed));
      if ('result' in r) return { ...r.result, provider: p.name, warnings: [] };
      fallback = 'fallback' in r ? r.fallback : undefined;
    }
    if (prep.operation === 'lifestyle_shot_by_text' && p?.lifestyleShot && prep.input && !prep.input.startsWith('#')) {
      const r = await this.tryProvider(p, 'lifestyle_shot_by_text', () => p.lifestyleShot!(prep.subject, prep.input!, frame, prep.seed, rect));
      if ('result' in r) return { ...r.result, provider: p.name, warnings: [] };
      fallback = 'fallback' in r ? r.fallback : undefined;
    }
    const img = prep.operation === 'expand_image' ? await expandImage(prep.photo, prep.alpha, frame, rect, { seed: prep.seed }) : await lifestyleShot(prep, frame);
    return { ...img, provider: 'offline', ...(fallback ? { fallback, warnings: [fallbackWarning(fallback)] } : { warnings: [] }) };
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
