/**
 * Bria's image API as a smart-image provider.
 *
 * Shapes, from Bria's documentation (docs.bria.ai):
 *  - Auth: every call carries the header `api_token: <key>` (all endpoint pages).
 *  - v2 endpoints are asynchronous by default — docs.bria.ai/status ("Status Service"):
 *    a submit answers 202 `{ request_id, status_url }` (or 200 `{ result: { image_url }, request_id }`
 *    when the server finished synchronously); `GET status_url` (= /v2/status/{request_id})
 *    answers 200 `{ status: IN_PROGRESS | COMPLETED | ERROR | UNKNOWN, result?: { image_url },
 *    error?: { code, message, details } }` — HTTP 200 even when the job failed.
 *    Errors of the endpoints themselves: `{ error: { code, message, details }, request_id }`.
 *  - remove_background — docs.bria.ai/image-editing/v2-endpoints/background-remove:
 *    POST /v2/image/edit/remove_background `{ image: <base64 or URL>, sync }` → a PNG with alpha.
 *  - expand — docs.bria.ai/image-editing/v2-endpoints/image-expansion:
 *    POST /v2/image/edit/expand `{ image, canvas_size: [w,h], original_image_size: [w,h],
 *    original_image_location: [x,y], prompt?, seed?, sync }` (canvas area ≤ 5000×5000).
 *  - lifestyle shot by text — docs.bria.ai/product-shot-editing/product-endpoints/product-lifestyle-shot-by-text:
 *    POST /v1/product/lifestyle_shot_by_text `{ file: <base64>, scene_description,
 *    placement_type: 'custom_coordinates', shot_size: [w,h], foreground_image_size: [w,h],
 *    foreground_image_location: [x,y], num_results: 1, sync: true, optimize_description }`
 *    → 200 `{ result: [[image_url, seed, session_id], …] }` (v1: synchronous, no status polling).
 *  Uploads are limited to 12 MB.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RemoteLimits } from './limits.js';
import type { RawImage, SmartImageProvider } from '../types.js';
import { formatDuration, ProviderError } from './errors.js';
import { requestJson, runOperation, type CallContext } from './http.js';
import { decodeResult, fetchResultBytes } from './result-image.js';
import { placeCutout } from './canvas.js';
import { crop, fitToFrame, uploadBytes } from './upload.js';

export interface BriaProviderOptions {
  /** e.g. https://engine.prod.bria-api.com (paths /v1/… and /v2/… are appended). */
  baseUrl: string;
  apiToken: string;
  limits: RemoteLimits;
  /** First wait between status polls (grows ×1.5 up to 4 s). Default 1000 ms. */
  pollIntervalMs?: number;
}

const KEY_VARIABLE = 'ADSMITH_BRIA_API_TOKEN';
const MAX_UPLOAD = 12 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class BriaProvider implements SmartImageProvider {
  readonly name = 'bria';
  private readonly base: string;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: BriaProviderOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async removeBackground(photo: RawImage, encoded: Uint8Array): Promise<Uint8Array | null> {
    return this.guard('remove_background', async (ctx) => {
      const image = (await uploadBytes(photo, MAX_UPLOAD, encoded)).toString('base64');
      const url = await this.submitV2(ctx, 'remove_background', '/v2/image/edit/remove_background', { image, sync: false });
      const out = await decodeResult(ctx, 'remove_background', await fetchResultBytes(ctx, 'remove_background', url));
      const sized = await fitToFrame(out, photo);
      const alpha = new Uint8Array(photo.width * photo.height);
      let transparent = 0;
      for (let i = 0; i < alpha.length; i++) {
        alpha[i] = sized.data[i * 4 + 3]!;
        if (alpha[i]! < 128) transparent++;
      }
      // An opaque answer is a photo without a cut-out, not a matte.
      if (transparent === 0) throw new ProviderError(this.name, 'malformed', 'remove_background: the result has no transparent pixels (no cut-out)');
      return alpha;
    });
  }

  async expand(photo: RawImage, frame: { width: number; height: number }, rect: { x: number; y: number; width: number; height: number }, seed: number): Promise<RawImage | null> {
    return this.guard('expand', async (ctx) => {
      const image = (await uploadBytes(photo, MAX_UPLOAD)).toString('base64');
      const body = {
        image,
        canvas_size: [frame.width, frame.height],
        original_image_size: [Math.round(rect.width), Math.round(rect.height)],
        original_image_location: [Math.round(rect.x), Math.round(rect.y)],
        seed,
        sync: false,
      };
      const url = await this.submitV2(ctx, 'expand', '/v2/image/edit/expand', body);
      const out = await decodeResult(ctx, 'expand', await fetchResultBytes(ctx, 'expand', url));
      return fitToFrame(out, frame);
    });
  }

  async lifestyleShot(
    subject: RawImage,
    prompt: string,
    frame: { width: number; height: number },
    _seed: number,
    place?: { x: number; y: number; width: number; height: number },
  ): Promise<RawImage | null> {
    return this.guard('lifestyle_shot_by_text', async (ctx) => {
      const { box, where } = placeCutout(this.name, 'lifestyle_shot_by_text', subject, frame, place);
      const body = {
        file: (await uploadBytes(crop(subject, box), MAX_UPLOAD, undefined, true)).toString('base64'),
        scene_description: prompt,
        placement_type: 'custom_coordinates',
        shot_size: [frame.width, frame.height],
        foreground_image_size: [Math.max(1, Math.round(where.width)), Math.max(1, Math.round(where.height))],
        foreground_image_location: [Math.round(where.x), Math.round(where.y)],
        num_results: 1,
        optimize_description: true,
        sync: true,
      };
      const { json } = await requestJson(ctx, 'lifestyle_shot_by_text', `${this.base}/v1/product/lifestyle_shot_by_text`, this.post(body), KEY_VARIABLE);
      const first = isObject(json) && Array.isArray(json.result) ? (json.result[0] as unknown) : undefined;
      const url = Array.isArray(first) ? first[0] : undefined;
      if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
        const blocked = Array.isArray(first) && first.some((v) => typeof v === 'string' && v.startsWith('blocked'));
        throw new ProviderError(this.name, blocked ? 'job_failed' : 'malformed', blocked ? 'lifestyle_shot_by_text: the result was blocked by Bria\'s content moderation' : 'lifestyle_shot_by_text answered without result[0][0] (an image URL); malformed answer');
      }
      const out = await decodeResult(ctx, 'lifestyle_shot_by_text', await fetchResultBytes(ctx, 'lifestyle_shot_by_text', url));
      return fitToFrame(out, frame);
    });
  }

  private post(body: unknown): { method: string; headers: Record<string, string>; body: string } {
    return { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', api_token: this.options.apiToken }, body: JSON.stringify(body) };
  }

  /** Submit a v2 job and answer its result image URL (synchronous answer or after polling). */
  private async submitV2(ctx: CallContext, what: string, path: string, body: unknown): Promise<string> {
    const { json } = await requestJson(ctx, what, `${this.base}${path}`, this.post(body), KEY_VARIABLE);
    const direct = this.resultUrl(json);
    if (direct) return direct;
    if (!isObject(json) || typeof json.request_id !== 'string' || !json.request_id)
      throw new ProviderError(this.name, 'malformed', `${what} answered without result.image_url or request_id; malformed answer`);
    return this.poll(ctx, what, this.statusUrl(json.request_id, json.status_url));
  }

  private resultUrl(json: unknown): string | null {
    const url = isObject(json) && isObject(json.result) ? json.result.image_url : undefined;
    return typeof url === 'string' && url ? url : null;
  }

  /**
   * The URL to poll. The api_token goes with every poll, so a status_url on
   * another origin than the configured base is not followed (it would hand the
   * key to whoever wrote the answer); /v2/status/{request_id} on the base is used.
   */
  private statusUrl(requestId: string, given: unknown): string {
    if (typeof given === 'string') {
      try {
        if (new URL(given).origin === new URL(this.base).origin) return given;
      } catch {
        // not a URL: use the documented path
      }
    }
    return `${this.base}/v2/status/${encodeURIComponent(requestId)}`;
  }

  private async poll(ctx: CallContext, what: string, url: string): Promise<string> {
    let wait = this.pollIntervalMs;
    for (;;) {
      if (Date.now() + wait >= ctx.deadline)
        throw new ProviderError(this.name, 'timeout', `${what} was still in progress when the ${formatDuration(ctx.limits.maxTotalMs)} limit ran out`);
      await sleep(wait);
      wait = Math.min(wait * 1.5, 4000);
      const { json } = await requestJson(ctx, `${what} status`, url, { method: 'GET', headers: { accept: 'application/json', api_token: this.options.apiToken } }, KEY_VARIABLE);
      const status = isObject(json) ? json.status : undefined;
      if (status === 'IN_PROGRESS') continue;
      if (status === 'COMPLETED') {
        const done = this.resultUrl(json);
        if (!done) throw new ProviderError(this.name, 'malformed', `${what} is COMPLETED but its status has no result.image_url; malformed answer`);
        return done;
      }
      if (status === 'ERROR' || status === 'UNKNOWN') {
        const err = isObject(json) && isObject(json.error) ? json.error : {};
        const msg = typeof err.message === 'string' ? `: ${err.message}` : '';
        throw new ProviderError(this.name, 'job_failed', `${what} job ended with status ${status}${msg}`);
      }
      throw new ProviderError(this.name, 'malformed', `${what} status answered an unknown status ${JSON.stringify(status ?? null).slice(0, 40)}; malformed answer`);
    }
  }

  private guard<T>(what: string, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    return runOperation(this.name, this.options.limits, [this.options.apiToken], what, fn);
  }
}
