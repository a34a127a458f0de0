import type { BlobStoreDescriptor } from '../blob/descriptor.js';
import type { ImageThresholds, ImageVerdict } from '../moderation/index.js';
import type { SmartImageConfig } from '../smart-image/index.js';

/**
 * The models thread (src/jobs/models-thread.ts) holds the process's one ISNet
 * session and its one NSFW classifier; the main thread talks to it through
 * these plain-data messages (src/jobs/model-host.ts).
 */

/** The parts of the server that depend on a model, as /healthz names them. */
export const MODEL_PARTS = ['smart_image', 'image_moderation'] as const;
export type ModelPart = (typeof MODEL_PARTS)[number];

export interface PartStatus {
  /** not_loaded: nothing tried yet (loads on first use); failed: the server answers 424 for what needs it. */
  state: 'not_loaded' | 'loading' | 'ready' | 'failed';
  ok: boolean;
  /** What is loaded or what is missing, in words. */
  detail: string;
  /** Milliseconds the load took, once it finished. */
  loadMs?: number;
}

/** Model settings, read from the environment by src/server/config.ts. */
export interface ModelSettings {
  /** The smart-image back end and the cut-out model (ADSMITH_SMART_IMAGE_PROVIDER, ADSMITH_CUTOUT_MODEL_DIR, …). */
  smartImage: SmartImageConfig;
  /** NSFW thresholds over the defaults (ADSMITH_NSFW_THRESHOLDS). */
  nsfwThresholds: Partial<ImageThresholds>;
  /** Folder of tfjs-backend-wasm's .wasm files (ADSMITH_MODERATION_WASM_DIR); default: the installed package. */
  moderationWasmDir?: string;
  /** Words added to the profanity allow-list (ADSMITH_PROFANITY_ALLOW). */
  profanityAllow: string[];
  /** Load the models in the background right after start (ADSMITH_PRELOAD_MODELS) instead of on first use. */
  preload: boolean;
}

/** Settings the models thread starts with (workerData). */
export interface ModelsThreadSettings {
  models: ModelSettings;
  /** The blob store the thread opens: cut-outs are persisted there, by image content hash. */
  blob: BlobStoreDescriptor;
  niceness: number;
}

export type ModelsRequest =
  | { type: 'load'; part: ModelPart }
  | { type: 'cutout'; id: number; bytes: Uint8Array }
  | { type: 'classify'; id: number; bytes: Uint8Array };

/** A failure, with the catalogue code and status the caller reports. */
export interface ModelsFailure {
  ok: false;
  code: 'ADS_URL_UNUSABLE' | 'ADS_MODEL_UNAVAILABLE' | 'ADS_RENDER_FAILED' | 'ADS_WORKER_CRASHED';
  params: Record<string, string>;
}

/** The cut-out of one image, persisted in the blob store under its content hash. */
export interface CutoutResult {
  ok: true;
  imageHash: string;
  /** Who made the matte: 'isnet' or the remote provider's name. */
  cutoutBy: string;
  /** Milliseconds decode + cut-out took when it was computed. */
  ms: number;
  /** True when this call computed it; false when it came from the cache or the blob store. */
  computed: boolean;
  /** Provider fallbacks while cutting out, for the job record. */
  warnings: string[];
}

export type ModelsReply =
  | { type: 'status'; part: ModelPart; status: PartStatus }
  | { type: 'cutout'; id: number; result: CutoutResult | ModelsFailure }
  | { type: 'classify'; id: number; result: { ok: true; verdict: ImageVerdict; ms: number } | ModelsFailure };
