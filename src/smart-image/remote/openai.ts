/**
 * An OpenAI-compatible images edit endpoint as a smart-image provider.
 *
 * Shape, from OpenAI's API reference (platform.openai.com/docs/api-reference/images/createEdit):
 * `POST {base}/images/edits`, `Authorization: Bearer <key>`, multipart/form-data with
 * `image` (PNG), `mask` (PNG of the same size whose fully transparent pixels mark where
 * to paint), `prompt`, `model`, `n`, `size` (dall-e-2: 256x256 | 512x512 | 1024x1024;
 * gpt-image-*: 1024x1024 | 1536x1024 | 1024x1536) and `response_format` (`url` |
 * `b64_json`, dall-e-2 only: gpt-image models always answer b64_json and reject it).
 * Answer: `{ created, data: [{ b64_json } | { url }] }`; errors `{ error: { message, type, code } }`.
 *
 * The endpoint paints fixed sizes, so the frame is fitted into the nearest-aspect size,
 * the kept pixels (the photo for expand, the subject for lifestyle) are drawn there and
 * masked opaque, and the answer is cropped back to the frame. The kept pixels are then
 * drawn again from our own copy, so the photo/subject stay exact whatever the model did.
 * This provider does not cut out: remove_background stays offline (ISNet).
 */
import { drawOver, encodePng, newImage, resizeRgba } from '../image.js';
import type { RemoteLimits } from './limits.js';
import type { RawImage, SmartImageProvider } from '../types.js';
import { ProviderError } from './errors.js';
import { requestJson, runOperation, type CallContext } from './http.js';
import { alphaMask, opaque, placeCutout, type Rect } from './canvas.js';
import { decodeBase64Result, decodeResult, fetchResultBytes } from './result-image.js';
import { crop } from './upload.js';

export interface OpenAiProviderOptions {
  /** e.g. https://api.openai.com/v1 (`/images/edits` is appended). */
  baseUrl: string;
  apiKey: string;
  /** e.g. gpt-image-1 or dall-e-2; decides the sizes offered and whether response_format is sent. */
  model: string;
  limits: RemoteLimits;
  /** The prompt for expand_image (the request has none). */
  expandPrompt?: string;
}

const KEY_VARIABLE = 'ADSMITH_OPENAI_API_KEY';
export const DEFAULT_EXPAND_PROMPT =
  'Extend this photograph beyond its borders: continue the same background, surfaces, light and texture seamlessly. Do not add objects, people or text.';

/** The sizes the model paints: dall-e-2 squares, gpt-image-* square/landscape/portrait. */
export function canvasSizes(model: string): Array<[number, number]> {
  return /^dall-e-2/i.test(model) ? [[1024, 1024]] : [[1024, 1024], [1536, 1024], [1024, 1536]];
}

/** The size closest in aspect to the frame, and where the frame lies inside it (uniform scale, centred). */
export function fitCanvas(model: string, frame: { width: number; height: number }): { width: number; height: number; k: number; ox: number; oy: number } {
  const aspect = Math.log(frame.width / frame.height);
  const [width, height] = canvasSizes(model).reduce((best, s) => (Math.abs(Math.log(s[0] / s[1]) - aspect) < Math.abs(Math.log(best[0] / best[1]) - aspect) ? s : best));
  const k = Math.min(width / frame.width, height / frame.height);
  return { width, height, k, ox: (width - frame.width * k) / 2, oy: (height - frame.height * k) / 2 };
}

export class OpenAiImagesProvider implements SmartImageProvider {
  readonly name = 'openai';
  private readonly base: string;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async expand(photo: RawImage, frame: { width: number; height: number }, rect: Rect, _seed: number): Promise<RawImage | null> {
    return this.guard('expand', async (ctx) => {
      const scaled = await resizeRgba(photo, rect.width, rect.height);
      const painted = await this.paint(ctx, 'expand', frame, scaled, rect, this.options.expandPrompt ?? DEFAULT_EXPAND_PROMPT);
      // The photo itself is ours, exactly.
      drawOver(painted, opaque(scaled), Math.round(rect.x), Math.round(rect.y));
      return painted;
    });
  }

  async lifestyleShot(subject: RawImage, prompt: string, frame: { width: number; height: number }, _seed: number, place?: Rect): Promise<RawImage | null> {
    return this.guard('lifestyle_shot_by_text', async (ctx) => {
      const { box, where } = placeCutout(this.name, 'lifestyle_shot_by_text', subject, frame, place);
      const cut = await resizeRgba(crop(subject, box), where.width, where.height);
      const text = `${prompt}. Keep the product exactly as it is; place it naturally in this scene with matching light and a soft contact shadow.`;
      const painted = await this.paint(ctx, 'lifestyle_shot_by_text', frame, cut, where, text);
      drawOver(painted, cut, Math.round(where.x), Math.round(where.y));
      return painted;
    });
  }

  /** Ask the endpoint to paint everything around `keep` (drawn at `at` in frame pixels); answer the frame. */
  private async paint(ctx: CallContext, what: string, frame: { width: number; height: number }, keep: RawImage, at: Rect, prompt: string): Promise<RawImage> {
    const c = fitCanvas(this.options.model, frame);
    const canvas = newImage(c.width, c.height);
    const small = await resizeRgba(keep, keep.width * c.k, keep.height * c.k);
    drawOver(canvas, small, Math.round(c.ox + at.x * c.k), Math.round(c.oy + at.y * c.k));
    const form = new FormData();
    form.set('model', this.options.model);
    form.set('prompt', prompt);
    form.set('n', '1');
    form.set('size', `${c.width}x${c.height}`);
    if (!/^gpt-image/i.test(this.options.model)) form.set('response_format', 'b64_json');
    form.set('image', new Blob([await encodePng(canvas)], { type: 'image/png' }), 'image.png');
    form.set('mask', new Blob([await encodePng(alphaMask(canvas, [255, 255, 255, 255], [0, 0, 0, 0]))], { type: 'image/png' }), 'mask.png');
    const { json } = await requestJson(
      ctx,
      what,
      `${this.base}/images/edits`,
      { method: 'POST', headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' }, body: form },
      KEY_VARIABLE,
    );
    const item = (json as { data?: unknown[] } | null)?.data?.[0] as { b64_json?: unknown; url?: unknown } | undefined;
    let out: RawImage;
    if (typeof item?.b64_json === 'string' && item.b64_json) out = await decodeBase64Result(ctx, what, item.b64_json);
    else if (typeof item?.url === 'string' && item.url) out = await decodeResult(ctx, what, await fetchResultBytes(ctx, what, item.url));
    else throw new ProviderError(this.name, 'malformed', `${what} answered without data[0].b64_json or data[0].url; malformed answer`);
    // Back from the canvas (the answer may come at another size) to the frame.
    const sx = out.width / c.width, sy = out.height / c.height;
    const region = {
      x: Math.max(0, Math.round(c.ox * sx)),
      y: Math.max(0, Math.round(c.oy * sy)),
      width: Math.max(1, Math.min(out.width, Math.round(frame.width * c.k * sx))),
      height: Math.max(1, Math.min(out.height, Math.round(frame.height * c.k * sy))),
    };
    region.width = Math.min(region.width, out.width - region.x);
    region.height = Math.min(region.height, out.height - region.y);
    const framed = await resizeRgba(crop(out, region), frame.width, frame.height);
    for (let i = 3; i < framed.data.length; i += 4) framed.data[i] = 255;
    return framed;
  }

  private guard<T>(what: string, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    return runOperation(this.name, this.options.limits, [this.options.apiKey], what, fn);
  }
}
