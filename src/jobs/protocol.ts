import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride, OutputOptions } from '../node/types.js';

/** What the API accepted for smart image (contract field `smart_image`). */
export interface SmartImageInput {
  input_image_url: string;
  scene?: { operation?: 'expand_image' | 'lifestyle_shot_by_text'; input?: string };
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
  smartImage: SmartImageInput | null;
  contentModeration: boolean;
}

export type RenderReply =
  | { type: 'done'; taskId: number; bytes: Uint8Array; mimeType: string; width: number; height: number; warnings: string[]; moderated: boolean }
  | { type: 'error'; taskId: number; code: string; status: number; message: string };

/** Settings every worker thread starts with (workerData). */
export interface WorkerSettings {
  allowPrivateUrls: boolean;
  /** Files uploaded to this server are read from the blob store instead of over HTTP. */
  publicUrl: string;
  blob: { kind: 'fs'; root: string };
  /** CPU niceness of render threads (0–19); higher yields more to the event loop. */
  niceness?: number;
}
