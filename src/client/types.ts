/**
 * Request and response shapes of the Adsmith API as the client sees them.
 * They mirror docs/api.md; the client adds `ImageSource` wherever an image goes.
 */

/**
 * An image input: a URL (passed through), a data: URI, a local file path or
 * `file://` URL (Node only), bytes (Uint8Array, Buffer, ArrayBuffer) or a
 * Blob/File. Everything but http(s) URLs is uploaded (`POST /v1/files`) and
 * replaced by the uploaded file's URL before the request is sent.
 */
export type ImageSource = string | Blob | Uint8Array | ArrayBuffer;

export type LayerType = 'text' | 'image' | 'smartImage' | 'logo' | 'shape';
export type OutputFormat = 'png' | 'jpeg' | 'webp';

/** One element override: `content_type` fills a slot in every scene, `id` one element. */
export interface ElementInput {
  content_type?: string | null;
  id?: string;
  layer_type?: LayerType;
  /** Text, a colour, or an image (for image, logo and smart-image elements). */
  content: string | ImageSource;
}

export interface SmartImageInput {
  input_image_url?: ImageSource;
  /** The contract's alias of `input_image_url`. */
  main_object_url?: ImageSource;
  scene?: { operation?: 'expand_image' | 'lifestyle_shot_by_text'; input?: string };
}

/** The body of `POST /v1/ads/generate`, images allowed as any `ImageSource`. */
export interface GenerateInput {
  template_id: string | number;
  brand_id?: string | number | null;
  elements?: ElementInput[];
  smart_image?: SmartImageInput;
  content_moderation?: boolean;
  output_format?: OutputFormat;
  scale?: 1 | 2;
  max_kb?: number;
  webhook_url?: string;
}

export type JobStatusName = 'IN_PROGRESS' | 'COMPLETED' | 'ERROR' | 'CANCELLED';
export type SceneStatusName = 'pending' | 'rendering' | 'done' | 'moderated' | 'failed' | 'cancelled';

/** One entry of the contract's `result[]`. */
export interface ContractScene {
  id: string;
  name: string;
  url: string;
  resolution: { width: number; height: number };
  editor_iframe: string;
}

/** `POST /v1/ads/generate`'s answer. */
export interface GenerateResponse {
  result: ContractScene[];
  request_id: string;
  status_url: string;
  status?: JobStatusName;
}

/** `GET /v1/jobs/{id}`'s answer (also each Server-Sent Event of `/events`). */
export interface JobStatusResponse {
  request_id: string;
  status: JobStatusName;
  progress: number;
  scenes_done: number;
  scenes_total: number;
  result: Array<ContractScene & { status: SceneStatusName; error?: { code: string; message: string }; moderated?: boolean; warnings?: string[] }>;
  error: string | null;
  template_id: string;
  template_version: number;
  brand_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A scene as the client reports it: contract fields flattened, with its key (`scene_1`) and state. */
export interface SceneInfo {
  /** `scene_1`, `scene_2`, … (the contract's scene keys). */
  key: string;
  index: number;
  name: string;
  width: number;
  height: number;
  url: string;
  editor_iframe: string;
  status: SceneStatusName;
  error?: { code: string; message: string };
  warnings?: string[];
}

/** One progress update of a job. */
export interface Progress {
  request_id: string;
  status: JobStatusName;
  /** 0–100. */
  progress: number;
  scenes_done: number;
  scenes_total: number;
  scenes: SceneInfo[];
  /** True on the last update (the job is final). */
  done: boolean;
}

export interface TemplateSummary {
  id: number;
  name: string;
  description: string;
  created_at: string;
  number_of_ads: number;
  preview: string;
  /** With `list({ include: 'public' })`: a public template (1061, 1062) or one of yours. */
  public?: boolean;
  /** With `list({ include: 'public' })`: false when the template ignores brand_id. */
  requires_brand?: boolean;
}

export interface BrandSummary {
  id: number;
  name: string;
  description: string;
  created_at: string;
  /** With `list({ include: 'public' })`: a public brand or one of yours. */
  public?: boolean;
}

/** A private template or brand as stored: its document and version. */
export interface AssetRecord<D = Record<string, unknown>> {
  id: number;
  kind: 'template' | 'brand';
  name: string;
  description: string;
  version: number;
  created_at: string;
  updated_at: string;
  public?: boolean;
  document: D;
}

/** `GET /v1/ads/templates/{id}`: `scene_1: [elements]`, …, `scene_resolutions`. */
export type ContractTemplate = Record<string, unknown> & { scene_resolutions: Record<string, { width: number; height: number }> };

export interface ContractElement {
  id: string;
  layer_type: LayerType;
  content_type: string | null;
  content: string;
  scene_number: number;
}

export interface FileRecord {
  id: string;
  url: string;
  filename: string;
  mime_type: string;
  size: number;
  created_at: string;
}

/** The batch endpoint (`POST /v1/ads/batch`). */
export interface BatchRowInput {
  key?: string;
  elements?: ElementInput[];
  smart_image?: SmartImageInput;
}

export interface BatchInput {
  template_id: string | number;
  brand_id?: string | number | null;
  output_format?: OutputFormat;
  scale?: 1 | 2;
  max_kb?: number;
  content_moderation?: boolean;
  webhook_url?: string;
  defaults?: { elements?: ElementInput[]; smart_image?: SmartImageInput };
  rows: BatchRowInput[];
}

export type BatchRowStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

/** One row as the batch reports it. `result` once the row is final; `error` when it was refused or a scene failed. */
export interface BatchRow {
  index: number;
  key?: string;
  status: BatchRowStatus;
  /** The row's job (absent when the row was refused at acceptance). */
  request_id?: string;
  status_url?: string;
  scenes_total?: number;
  scenes_done?: number;
  /** The row job's scenes as GET status_url gives them, each with `key` (`scene_1`) and `<scene_key>: url`. */
  result?: Array<JobStatusResponse['result'][number] & { key: string } & Record<string, unknown>>;
  error?: { code: string; message: string };
}

export interface BatchCreated {
  batch_id: string;
  status_url: string;
  status?: JobStatusName;
  rows_total: number;
  rows_accepted: number;
  rows_failed: number;
  /** The rows refused at acceptance, with the error naming the field (`rows[3].elements[0].content …`). */
  failed_rows?: BatchRow[];
}

export interface BatchProgress {
  rows_total: number;
  /** Rows in a final state (completed, failed or cancelled). */
  rows_done: number;
  rows_failed: number;
  rows_completed?: number;
  rows_cancelled?: number;
  scenes_total: number;
  scenes_done: number;
  percent?: number;
}

export interface BatchStatus {
  batch_id: string;
  status: JobStatusName;
  status_url?: string;
  template_id?: string;
  brand_id?: string | null;
  created_at: string;
  updated_at: string;
  progress: BatchProgress;
  rows: BatchRow[];
}

/** One update of a batch: the counts and the rows that changed (every row on the first update and after a reconnect). */
export interface BatchUpdate {
  progress: BatchProgress;
  rows: BatchRow[];
  status?: JobStatusName;
  done: boolean;
}

/** The body Adsmith POSTs to a `webhook_url`. */
export interface WebhookPayload {
  id: string;
  type: string;
  status: JobStatusName;
  output: { result: JobStatusResponse['result'] };
  error: string;
  created_at: string;
  updated_at: string;
}
