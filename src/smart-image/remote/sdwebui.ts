/**
 * A self-hosted Stable Diffusion server speaking the AUTOMATIC1111 WebUI / Forge API
 * (started with `--api`, optionally `--api-auth user:password`) as a smart-image provider.
 *
 * Shapes, from the WebUI's API (modules/api/api.py and models.py; /docs on a running server):
 *  - `POST /sdapi/v1/img2img` JSON `{ init_images: [base64 PNG], mask: base64 PNG (white =
 *    repaint), prompt, negative_prompt, denoising_strength, width, height, steps, cfg_scale,
 *    sampler_name?, seed, inpainting_fill (0 fill, 1 original, 2 latent noise, 3 latent
 *    nothing), inpaint_full_res, mask_blur, resize_mode, include_init_images,
 *    override_settings? }`.
 *  - `POST /sdapi/v1/txt2img` JSON `{ prompt, negative_prompt, width, height, steps, cfg_scale, seed, … }`.
 *  - Answer 200 `{ images: [base64 PNG, …], parameters: {…}, info: "<json>" }` (the init
 *    images and mask are echoed in `parameters` only when include_init_images is true).
 *  - Errors: HTTP 4xx/5xx with JSON `{ detail }` (FastAPI; a list for validation errors) or
 *    the WebUI's `{ error, detail, body, errors }`; 401 when --api-auth refuses the credentials.
 *  - Widths and heights are multiples of 8 (64 for some older models).
 *
 * The frame is painted on a canvas of about the model's native size (`size`², the long side at
 * most 2 × size) with sides rounded to the multiple, and the answer is fitted back to the frame.
 * What must stay exact (the photo for expand, the subject for lifestyle) is masked black, so the
 * model paints only the new pixels, and is drawn again from our copy afterwards.
 * Background removal is not part of the WebUI's API: the cut-out stays offline (ISNet).
 */
import { drawOver, encodePng, newImage, resizeRgba } from '../image.js';
import type { RemoteLimits } from './limits.js';
import { drawShadow } from '../compose.js';
import type { RawImage, SmartImageProvider } from '../types.js';
import { alphaMask, opaque, placeCutout, type Rect } from './canvas.js';
import { ProviderError } from './errors.js';
import { requestJson, runOperation, type CallContext } from './http.js';
import { decodeBase64Result } from './result-image.js';
import { crop, fitToFrame } from './upload.js';

/** How a prompt backdrop is made: painted around the masked subject (img2img), or painted alone and the subject placed on it (txt2img). */
export type SdLifestyleMode = 'inpaint' | 'txt2img';

export interface SdWebUiSettings {
  /** Checkpoint to use (override_settings.sd_model_checkpoint, restored afterwards); the server's current one when absent. */
  model?: string;
  /** Sampler name as the server lists it (/sdapi/v1/samplers); the server's default when absent. */
  sampler?: string;
  steps: number;
  cfgScale: number;
  /** The model's native side: 512 for SD 1.x, 1024 for SDXL. The canvas has about size² pixels. */
  size: number;
  /** Canvas sides are multiples of this (8; 64 for some older models). */
  sizeMultiple: number;
  lifestyle: SdLifestyleMode;
}

export const DEFAULT_SDWEBUI_SETTINGS: SdWebUiSettings = { steps: 25, cfgScale: 7, size: 1024, sizeMultiple: 8, lifestyle: 'inpaint' };

export interface SdWebUiProviderOptions {
  /** e.g. http://127.0.0.1:7860 (`/sdapi/v1/…` is appended). */
  baseUrl: string;
  /** `user:password` of a server started with --api-auth; sent as HTTP Basic. */
  auth?: string;
  limits: RemoteLimits;
  settings?: Partial<SdWebUiSettings>;
}

const AUTH_VARIABLE = 'ADSMITH_SDWEBUI_AUTH';
const EXPAND_PROMPT = 'seamless continuation of the same photograph, same background, same surfaces, same light and texture';
const EXPAND_NEGATIVE = 'new objects, people, text, watermark, logo, frame, border, seam';
const SCENE_STYLE = 'product photography, photorealistic, natural light, high detail';
const SCENE_NEGATIVE = 'text, watermark, logo, people, hands, blurry, deformed, lowres';
const BACKDROP_EMPTY = 'empty foreground, no objects in the centre';

type Json = Record<string, unknown>;

/** The canvas painted for a frame: sides multiples of `multiple`, about size² pixels, long side ≤ 2·size. */
export function sdCanvas(frame: { width: number; height: number }, size: number, multiple: number): { width: number; height: number; sx: number; sy: number } {
  let k = Math.sqrt((size * size) / (frame.width * frame.height));
  k = Math.min(k, (2 * size) / Math.max(frame.width, frame.height));
  const side = (v: number) => Math.max(multiple, Math.round((v * k) / multiple) * multiple);
  const width = side(frame.width), height = side(frame.height);
  return { width, height, sx: width / frame.width, sy: height / frame.height };
}

/** A frame rectangle in canvas pixels, edges rounded (so the mask and the drawn picture agree exactly). */
function toCanvas(r: Rect, c: { sx: number; sy: number }): { x: number; y: number; width: number; height: number } {
  const x = Math.round(r.x * c.sx), y = Math.round(r.y * c.sy);
  return { x, y, width: Math.max(1, Math.round((r.x + r.width) * c.sx) - x), height: Math.max(1, Math.round((r.y + r.height) * c.sy) - y) };
}

/**
 * The photo at `at` on a canvas, every pixel outside it the nearest photo pixel (the
 * colours the model starts from with inpainting_fill = original), and the mask: white
 * exactly where the photo is not.
 */
function extendedCanvas(photo: RawImage, at: Rect, width: number, height: number): { init: RawImage; mask: RawImage } {
  const init = newImage(width, height);
  const mask = newImage(width, height, [255, 255, 255, 255]);
  for (let y = 0; y < height; y++) {
    const py = Math.min(photo.height - 1, Math.max(0, y - at.y));
    for (let x = 0; x < width; x++) {
      const px = Math.min(photo.width - 1, Math.max(0, x - at.x));
      const i = (y * width + x) * 4;
      init.data.set(photo.data.subarray((py * photo.width + px) * 4, (py * photo.width + px) * 4 + 4), i);
      init.data[i + 3] = 255;
      if (x - at.x === px && y - at.y === py) mask.data.set([0, 0, 0, 255], i);
    }
  }
  return { init, mask };
}

const dataUri = async (img: RawImage) => `data:image/png;base64,${(await encodePng(img)).toString('base64')}`;

export class SdWebUiProvider implements SmartImageProvider {
  readonly name = 'sdwebui';
  private readonly base: string;
  private readonly settings: SdWebUiSettings;
  private readonly secrets: string[];

  constructor(private readonly options: SdWebUiProviderOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.settings = { ...DEFAULT_SDWEBUI_SETTINGS, ...options.settings };
    // The pair, and the password alone (a server may echo either); the Basic header's base64 form is covered by redact.
    const password = options.auth?.slice(options.auth.indexOf(':') + 1);
    this.secrets = [options.auth, password].filter((s): s is string => !!s);
  }

  async expand(photo: RawImage, frame: { width: number; height: number }, rect: Rect, seed: number): Promise<RawImage | null> {
    return this.guard('expand', async (ctx) => {
      const c = sdCanvas(frame, this.settings.size, this.settings.sizeMultiple);
      const at = toCanvas(rect, c);
      const { init, mask } = extendedCanvas(await resizeRgba(opaque(photo), at.width, at.height), at, c.width, c.height);
      const out = await this.call(ctx, 'expand', 'img2img', frame, c, {
        ...this.common(c, seed),
        prompt: EXPAND_PROMPT,
        negative_prompt: EXPAND_NEGATIVE,
        init_images: [await dataUri(init)],
        mask: await dataUri(mask),
        // The edge-extended canvas gives the colours to continue; the model re-draws the texture.
        inpainting_fill: 1,
        denoising_strength: 0.9,
        mask_blur: 4,
      });
      // The photo itself is ours, exactly.
      drawOver(out, opaque(await resizeRgba(photo, rect.width, rect.height)), Math.round(rect.x), Math.round(rect.y));
      return out;
    });
  }

  async lifestyleShot(subject: RawImage, prompt: string, frame: { width: number; height: number }, seed: number, place?: Rect): Promise<RawImage | null> {
    return this.guard('lifestyle_shot_by_text', async (ctx) => {
      const { box, where } = placeCutout(this.name, 'lifestyle_shot_by_text', subject, frame, place);
      const cutout = crop(subject, box);
      const cut = await resizeRgba(cutout, where.width, where.height);
      const c = sdCanvas(frame, this.settings.size, this.settings.sizeMultiple);
      let out: RawImage;
      if (this.settings.lifestyle === 'txt2img') {
        out = await this.call(ctx, 'lifestyle_shot_by_text', 'txt2img', frame, c, {
          ...this.common(c, seed),
          prompt: `${prompt}, ${BACKDROP_EMPTY}, ${SCENE_STYLE}`,
          negative_prompt: SCENE_NEGATIVE,
        });
        drawShadow(out, { img: cut, x: Math.round(where.x), y: Math.round(where.y) });
      } else {
        // The subject on a neutral canvas, masked black where it is opaque: the scene is painted around its silhouette.
        const at = toCanvas(where, c);
        const placed = newImage(c.width, c.height);
        drawOver(placed, await resizeRgba(cutout, at.width, at.height), at.x, at.y);
        const init = newImage(c.width, c.height, [128, 128, 128, 255]);
        drawOver(init, placed, 0, 0);
        out = await this.call(ctx, 'lifestyle_shot_by_text', 'img2img', frame, c, {
          ...this.common(c, seed),
          prompt: `${prompt}, ${SCENE_STYLE}`,
          negative_prompt: SCENE_NEGATIVE,
          init_images: [await dataUri(init)],
          mask: await dataUri(alphaMask(placed, [0, 0, 0, 255], [255, 255, 255, 255])),
          // Nothing of the grey canvas should survive: the scene starts from noise.
          inpainting_fill: 2,
          denoising_strength: 1,
          mask_blur: 2,
        });
      }
      // The subject itself is ours, exactly (its soft edge over what was painted).
      drawOver(out, cut, Math.round(where.x), Math.round(where.y));
      return out;
    });
  }

  /** Fields both endpoints take. */
  private common(c: { width: number; height: number }, seed: number): Json {
    const s = this.settings;
    return {
      width: c.width,
      height: c.height,
      steps: s.steps,
      cfg_scale: s.cfgScale,
      seed,
      batch_size: 1,
      n_iter: 1,
      ...(s.sampler ? { sampler_name: s.sampler } : {}),
      ...(s.model ? { override_settings: { sd_model_checkpoint: s.model }, override_settings_restore_afterwards: true } : {}),
      send_images: true,
      save_images: false,
    };
  }

  /** One generation on canvas `c`; answers images[0] fitted back to the frame (opaque). */
  private async call(ctx: CallContext, what: string, endpoint: 'img2img' | 'txt2img', frame: { width: number; height: number }, c: { width: number; height: number }, body: Json): Promise<RawImage> {
    const payload = endpoint === 'img2img' ? { ...body, resize_mode: 0, inpaint_full_res: false, inpainting_mask_invert: 0, include_init_images: false } : body;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.auth) headers.authorization = `Basic ${Buffer.from(this.options.auth).toString('base64')}`;
    // A 401 without credentials configured means the server runs with --api-auth and we were not told.
    const credential = this.options.auth ? 'the credentials' : 'a request without credentials';
    const { json } = await requestJson(ctx, what, `${this.base}/sdapi/v1/${endpoint}`, { method: 'POST', headers, body: JSON.stringify(payload) }, AUTH_VARIABLE, credential);
    const first = (json as { images?: unknown } | null)?.images;
    const b64 = Array.isArray(first) ? (first[0] as unknown) : undefined;
    if (typeof b64 !== 'string' || !b64) throw new ProviderError(this.name, 'malformed', `${what}: /sdapi/v1/${endpoint} answered without images[0] (a base64 image); malformed answer`);
    const img = await decodeBase64Result(ctx, what, b64, 'images[0]');
    if (Math.abs(Math.log(img.width / img.height) - Math.log(c.width / c.height)) > 0.05)
      throw new ProviderError(this.name, 'malformed', `${what}: /sdapi/v1/${endpoint} answered ${img.width}×${img.height} for a ${c.width}×${c.height} request`);
    return opaque(await fitToFrame(img, frame));
  }

  private guard<T>(what: string, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    return runOperation(this.name, this.options.limits, this.secrets, what, fn);
  }
}
