import type { BlobStoreDescriptor } from '../blob/descriptor.js';
import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride, OutputOptions, SceneTimings } from '../node/types.js';
import type { TextRenderer } from '../node/text-renderer.js';
import type { SmartImageConfig, SmartImageOperation } from '../smart-image/index.js';
import type { StoredResult } from './results.js';

/** What the API accepted for smart image (contract field `smart_image`), normalised: the operation is always set. */
export interface SmartImageInput {
  input_image_url: string;
  scene?: { operation?: SmartImageOperation; input?: string };
}

/**
 * The smart image of a scene task: the request's input plus the cut-out the
 * dispatcher had the models thread make (persisted under `imageHash`), so the
 * render thread only composes frames.
 */
export interface SmartImageTask {
  input_image_url: string;
  operation: SmartImageOperation;
  /** A #rrggbb colour or a prompt for lifestyle_shot_by_text; absent for expand_image. */
  input?: string;
  seed: number;
  imageHash: string;
  /** The job-record line about the cut-out (who made it, computed or reused), and any fallback. */
  notes: string[];
}

/** One scene to render, sent from the dispatcher to a worker thread. Plain data (structured clone). */
export interface RenderTask {
  taskId: number;
  jobId: string;
  sceneIndex: number;
  template: TemplateDocument;
  brand: BrandDocument | null;
  elements: ElementOverride[];
  output: Partial<OutputOptions>;
  smartImage: SmartImageTask | null;
  /**
   * Uploaded files this task may read: those its job refers to that its organisation owns
   * (ownedFileIds in src/jobs/file-access.ts). Any other file of this server is refused.
   */
  files: string[];
  /** Output moderation runs on the models thread after the render; kept so a worker can see the request asked for it. */
  contentModeration: boolean;
  /**
   * The thread writes the result to the blob store itself (src/jobs/results.ts) and answers where, its ETag and
   * size instead of the bytes. The queue asks for it when no moderation verdict decides what is stored.
   */
  storeResult?: boolean;
}

export type RenderReply =
  | {
      type: 'done';
      taskId: number;
      /** Empty when the thread stored them (`stored`). */
      bytes: Uint8Array;
      mimeType: string;
      width: number;
      height: number;
      warnings: string[];
      moderated: boolean;
      stored?: StoredResult;
      /** Milliseconds the renderer spent per stage (layout, paint, encode), for the /metrics histograms. */
      timings?: SceneTimings;
    }
  | { type: 'error'; taskId: number; code: string; status: number; message: string };

/**
 * What a render thread posts: `started` when it begins a task (the pool then knows which tasks a dying thread had
 * begun and which were only queued behind them), then the task's reply.
 */
export type ThreadMessage = RenderReply | { type: 'started'; taskId: number };

/** Settings every worker thread starts with (workerData). */
export interface WorkerSettings {
  allowPrivateUrls: boolean;
  /** Files uploaded to this server are read from the blob store instead of over HTTP. */
  publicUrl: string;
  /** The thread opens this same store: it reads uploads and saved inputs there and writes its results. */
  blob: BlobStoreDescriptor;
  /** CPU niceness of render threads (0–19); higher yields more to the event loop. */
  niceness?: number;
  /** The smart-image back end: render threads compose frames with it (never loading a model). */
  smartImage?: SmartImageConfig;
  /** How glyphs are drawn (ADSMITH_TEXT_RENDERER, from the server's config); default `system`. */
  textRenderer?: TextRenderer;
}
