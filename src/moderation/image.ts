import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { bundledModel } from './bundled-model.js';
import { DEFAULT_IMAGE_THRESHOLDS, NSFW_CLASSES, type ImageThresholds, type ImageVerdict, type ModeratorStatus, type NsfwClass } from './types.js';

import type * as TfModule from '@tensorflow/tfjs';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import type * as NsfwCore from 'nsfwjs/core';
import type { NSFWJS } from 'nsfwjs';

type Tf = typeof TfModule;
type NsfwModel = NSFWJS;

export interface ImageModeratorOptions {
  thresholds?: Partial<ImageThresholds>;
  /** nsfwjs bundled model: MobileNetV2 (default, 224 px), MobileNetV2Mid or InceptionV3 (299 px). */
  model?: 'MobileNetV2' | 'MobileNetV2Mid' | 'InceptionV3';
  /** Folder holding tfjs-backend-wasm's .wasm files; default: the installed package's dist/. */
  wasmDir?: string;
}

let tfReady: Promise<Tf> | null = null;
const require = createRequire(import.meta.url);

/**
 * tfjs on the wasm backend, set up once per process; the .wasm files are read from disk.
 * tfjs, its wasm backend and nsfwjs are all loaded through `require` (their CommonJS
 * builds, one tfjs instance): under tsx, which `npm start` uses, importing tfjs's ESM
 * build cost ~30 MB more resident memory (measured: +105 MB vs +72 MB).
 */
async function loadTf(wasmDir?: string): Promise<Tf> {
  tfReady ??= (async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfWasm;
    const dir = wasmDir ?? dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(join(dir, '/'));
    wasm.setThreadsCount?.(1);
    await tf.setBackend('wasm');
    await tf.ready();
    tf.enableProdMode();
    return tf;
  })();
  return tfReady;
}

/** NSFW image classifier (nsfwjs, model bundled in the npm package, tfjs wasm backend). Loaded once. */
export class ImageModerator {
  private model: NsfwModel | null = null;
  private tf: Tf | null = null;
  private loading: Promise<void> | null = null;
  private error: Error | null = null;
  loadMs = 0;
  readonly thresholds: ImageThresholds;
  readonly modelName: NonNullable<ImageModeratorOptions['model']>;

  constructor(private readonly options: ImageModeratorOptions = {}) {
    this.thresholds = { ...DEFAULT_IMAGE_THRESHOLDS, ...options.thresholds };
    this.modelName = options.model ?? 'MobileNetV2';
  }

  load(): Promise<void> {
    this.loading ??= (async () => {
      const t = performance.now();
      try {
        this.tf = await loadTf(this.options.wasmDir);
        const nsfw = require('nsfwjs/core') as typeof NsfwCore;
        // A model name (not a URL) makes nsfwjs read the weights bundled in the package,
        // run directly (see bundled-model.ts: nsfwjs's own import() costs ~350 MB).
        this.model = await nsfw.load(this.modelName, { size: this.size, modelDefinitions: [bundledModel(this.modelName)] });
      } catch (e) {
        this.error = e instanceof Error ? e : new Error(String(e));
      }
      this.loadMs = performance.now() - t;
    })();
    return this.loading;
  }

  private get size(): number {
    return this.modelName === 'InceptionV3' ? 299 : 224;
  }

  status(): ModeratorStatus {
    if (this.error) return { ok: false, detail: `image moderation model (nsfwjs ${this.modelName}) failed to load: ${this.error.message}` };
    if (this.model) return { ok: true, detail: `image moderation model nsfwjs ${this.modelName} loaded in ${Math.round(this.loadMs)} ms` };
    return { ok: true, detail: `image moderation model nsfwjs ${this.modelName} not loaded yet` };
  }

  /** Classify encoded image bytes. Throws when the bytes are not an image or the model is unavailable. */
  async check(bytes: Uint8Array): Promise<ImageVerdict> {
    await this.load();
    if (!this.model || !this.tf) throw new Error(this.status().detail);
    const s = this.size;
    // Flatten transparency onto white, as a viewer would show it.
    const rgb = await sharp(bytes, { limitInputPixels: 40_000_000 }).rotate().flatten({ background: '#ffffff' }).resize(s, s, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const tf = this.tf;
    const input = tf.tensor3d(new Int32Array(rgb), [s, s, 3], 'int32');
    let preds: { className: string; probability: number }[];
    try {
      preds = await this.model.classify(input, NSFW_CLASSES.length);
    } finally {
      input.dispose();
    }
    return judge(preds, this.thresholds);
  }
}

export function judge(preds: { className: string; probability: number }[], th: ImageThresholds): ImageVerdict {
  const scores = Object.fromEntries(NSFW_CLASSES.map((c) => [c, 0])) as Record<NsfwClass, number>;
  for (const p of preds) if ((NSFW_CLASSES as readonly string[]).includes(p.className)) scores[p.className as NsfwClass] = p.probability;
  let label: NsfwClass = 'Neutral';
  for (const c of NSFW_CLASSES) if (scores[c] > scores[label]) label = c;
  let reason: string | undefined;
  for (const c of ['Porn', 'Hentai', 'Sexy'] as const) if (!reason && scores[c] >= th[c]) reason = `${c} ${scores[c].toFixed(2)} ≥ ${th[c].toFixed(2)}`;
  const sum = scores.Porn + scores.Hentai + scores.Sexy;
  if (!reason && sum >= th.combined) reason = `Porn+Hentai+Sexy ${sum.toFixed(2)} ≥ ${th.combined.toFixed(2)}`;
  return reason ? { safe: false, scores, label, reason } : { safe: true, scores, label };
}
