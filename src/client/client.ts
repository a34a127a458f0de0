import { Brands, Templates } from './assets.js';
import { Batches } from './batches.js';
import { AuthError, BadRequestError } from './errors.js';
import { Files } from './files.js';
import { Http, type FetchLike } from './http.js';
import { resolveElements, resolveGenerateInput, resolveSmartImage, type LayersOf, type UploadFn } from './inputs.js';
import { Job, Jobs } from './jobs.js';
import { fetchResult, type GenerateResult } from './results.js';
import type { BatchInput, ContractElement, GenerateInput, GenerateResponse, ImageSource, LayerType, Progress } from './types.js';

export interface AdsmithOptions {
  /** An organisation's API token (`npm start` prints the default one; `adsmith org create` makes more). */
  apiKey: string;
  /** Where the API runs, e.g. `http://localhost:8080` (the default). */
  baseUrl?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: FetchLike;
  /** Per request, in ms (default 60 000). Streams are bounded only until their headers arrive. */
  timeoutMs?: number;
  /** Retries after 429, 503 and network errors on idempotent calls (default 3). */
  maxRetries?: number;
  /** A Retry-After longer than this (ms) is not waited for (default 60 000). */
  maxRetryDelayMs?: number;
  /** Uploads run at most this many at once (default 4). */
  uploadConcurrency?: number;
}

export interface GenerateOptions {
  /** false: resolve as soon as the job is accepted, with its handle (use with `webhook_url`). Default true. */
  wait?: boolean;
  /** Called on every progress update while waiting. */
  onProgress?: (progress: Progress) => void;
  /** Aborting stops waiting and cancels the job on the server. */
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` (default: a new random key per call, reused by its own retries). */
  idempotencyKey?: string;
}

/** A random key from Web Crypto's getRandomValues (available in insecure browser contexts too, unlike randomUUID). */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs at most `limit` of the given tasks at once. */
function limiter(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/**
 * The Adsmith client: generate ads (waiting, streaming progress, or fire and
 * forget with a webhook), manage templates, brands, files, jobs and batches.
 * No dependencies; runs in Node ≥ 20 and browsers.
 */
export class Adsmith {
  readonly templates: Templates;
  readonly brands: Brands;
  readonly files: Files;
  readonly jobs: Jobs;
  readonly batches: Batches;
  private readonly http: Http;
  private readonly uploadConcurrency: number;

  constructor(opts: AdsmithOptions) {
    if (!opts || typeof opts.apiKey !== 'string' || !opts.apiKey.trim()) {
      throw new AuthError({ status: 0, code: 'ADS_NO_TOKEN', message: 'apiKey is required: new Adsmith({ apiKey: "ads_…", baseUrl }). `npm start` prints the default organisation\'s token.' });
    }
    const baseUrl = (opts.baseUrl ?? 'http://localhost:8080').replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/i.test(baseUrl)) throw new BadRequestError({ status: 0, code: 'ADS_BAD_BASE_URL', message: `baseUrl "${baseUrl}" must be an http(s) URL such as http://localhost:8080.` });
    const fetchImpl = opts.fetch ?? (globalThis.fetch.bind(globalThis) as FetchLike);
    this.http = new Http({ apiKey: opts.apiKey.trim(), baseUrl, fetch: fetchImpl, timeoutMs: opts.timeoutMs ?? 60_000, maxRetries: opts.maxRetries ?? 3, maxRetryDelayMs: opts.maxRetryDelayMs ?? 60_000 });
    this.uploadConcurrency = Math.max(1, opts.uploadConcurrency ?? 4);
    this.templates = new Templates(this.http);
    this.brands = new Brands(this.http);
    this.files = new Files(this.http);
    this.jobs = new Jobs(this.http);
    this.batches = new Batches(this.http, (input) => this.resolveBatch(input));
  }

  get baseUrl(): string {
    return this.http.opts.baseUrl;
  }

  /**
   * Generates every scene of a template. By default waits until the job is final
   * and resolves to the scenes (name, width, height, url, editor_iframe, status,
   * and `bytes()`/`blob()` for the image). With `wait: false` resolves at once
   * to the job's handle.
   */
  generate(input: GenerateInput, opts: GenerateOptions & { wait: false }): Promise<Job>;
  generate(input: GenerateInput, opts?: GenerateOptions & { wait?: true }): Promise<GenerateResult>;
  generate(input: GenerateInput, opts?: GenerateOptions): Promise<GenerateResult | Job>;
  async generate(input: GenerateInput, opts: GenerateOptions = {}): Promise<GenerateResult | Job> {
    const job = await this.submit(input, opts);
    if (opts.wait === false) return job;
    try {
      return await job.wait({ ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      // The caller gave up: stop spending render time on it (best effort).
      if (opts.signal?.aborted) void job.cancel().catch(() => undefined);
      throw err;
    }
  }

  /** Accepts a generation and yields its progress updates as they arrive; the last one has `done: true`. */
  async *stream(input: GenerateInput, opts: Omit<GenerateOptions, 'wait' | 'onProgress'> = {}): AsyncGenerator<Progress> {
    const job = await this.submit(input, opts);
    yield* job.updates(opts.signal ? { signal: opts.signal } : {});
  }

  /** Uploads the request's local images, then `POST /v1/ads/generate` with an Idempotency-Key (so retries never create a second job). */
  async submit(input: GenerateInput, opts: Pick<GenerateOptions, 'signal' | 'idempotencyKey'> = {}): Promise<Job> {
    const body = await resolveGenerateInput(input, this.uploader(opts.signal), this.layersOf());
    const created = await this.http.json<GenerateResponse>({
      method: 'POST',
      path: '/v1/ads/generate',
      json: body,
      headers: { 'idempotency-key': opts.idempotencyKey ?? randomKey() },
      idempotent: true,
      signal: opts.signal,
    });
    return new Job(this.http, this.jobs, created);
  }

  /** The bytes behind a result URL (waits while it answers 202, i.e. still rendering); e.g. a batch row's scene URLs. */
  async download(url: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return (await fetchResult(this.http, url, opts.signal)).bytes;
  }

  /** The organisation behind the token: plan, usage, features and `webhook_secret` (for verifyWebhook). */
  org(): Promise<{ id: string; name: string; plan: string; requests_used: number; requests_total: number | null; requests_per_minute: number; features: string[]; webhook_secret: string; created_at: string }> {
    return this.http.json({ method: 'GET', path: '/v1/org', idempotent: true });
  }

  private async resolveBatch(input: BatchInput): Promise<BatchInput> {
    const upload = this.uploader();
    const layersOf = this.layersOf();
    const templateId = String(input.template_id);
    const defaults = input.defaults
      ? {
          ...input.defaults,
          ...(input.defaults.elements ? { elements: await resolveElements(input.defaults.elements, 'defaults.elements', templateId, upload, layersOf) } : {}),
          ...(input.defaults.smart_image ? { smart_image: await resolveSmartImage(input.defaults.smart_image, 'defaults.smart_image', upload) } : {}),
        }
      : undefined;
    const rows = await Promise.all(
      input.rows.map(async (row, i) => ({
        ...row,
        ...(row.elements ? { elements: await resolveElements(row.elements, `rows[${i}].elements`, templateId, upload, layersOf) } : {}),
        ...(row.smart_image ? { smart_image: await resolveSmartImage(row.smart_image, `rows[${i}].smart_image`, upload) } : {}),
      })),
    );
    return { ...input, ...(defaults ? { defaults } : {}), rows };
  }

  /** Uploads each distinct source once per call, a few at a time. */
  private uploader(signal?: AbortSignal): UploadFn {
    const cache = new Map<ImageSource, Promise<string>>();
    const gate = limiter(this.uploadConcurrency);
    return (source, parameter) => {
      let url = cache.get(source);
      if (!url) {
        url = gate(() => this.files.upload(source, { parameter, ...(signal ? { signal } : {}) })).then((f) => f.url);
        cache.set(source, url);
      }
      return url;
    };
  }

  /** Element id → layer type of a template, read once per call and only when an id-targeted element needs it. */
  private layersOf(): LayersOf {
    const cache = new Map<string, Promise<Map<string, LayerType>>>();
    return (templateId) => {
      let layers = cache.get(templateId);
      if (!layers) {
        layers = this.templates.get(templateId).then((tpl) => {
          const map = new Map<string, LayerType>();
          for (const [key, value] of Object.entries(tpl)) {
            if (key.startsWith('scene_') && Array.isArray(value)) for (const el of value as ContractElement[]) map.set(el.id, el.layer_type);
          }
          return map;
        });
        cache.set(templateId, layers);
      }
      return layers;
    };
  }
}
