/**
 * Database rows as the MetadataStore's records, shared by the SQLite and PostgreSQL adapters so both return
 * exactly the same shapes. What differs is only how a column comes back: SQLite stores times as ISO text and
 * documents as JSON text; PostgreSQL answers timestamptz as a Date and jsonb already parsed. Each adapter
 * says so in its `RowCodec`.
 */
import type {
  AssetKind,
  AssetRecord,
  BatchRecord,
  BatchRowState,
  DeliveryStatus,
  FileRecord,
  JobRecord,
  JobStatus,
  Org,
  PlanName,
  SceneRecord,
  SceneRevision,
  SceneStatus,
  TaskRecord,
  TokenRecord,
  WebhookDelivery,
} from './types.js';

export type Row = Record<string, unknown>;

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** How one adapter's columns read back. */
export interface RowCodec {
  /** A time column as the interface's ISO string. */
  time(v: unknown): string;
  /** A document column (never SQL NULL here) as its value. */
  doc(v: unknown): unknown;
}

/** Stored documents carry their asset's id. */
export function withId(document: unknown, id: number): unknown {
  return document && typeof document === 'object' && !Array.isArray(document) ? { ...(document as object), id: String(id) } : document;
}

/** The record mappers for an adapter's codec. */
export function recordMappers({ time, doc }: RowCodec) {
  const timeOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : time(v));
  const docOrNull = (v: unknown): unknown => (v === null || v === undefined ? null : doc(v));
  return {
    toOrg: (r: Row): Org => ({
      id: str(r['id']),
      name: str(r['name']),
      plan: str(r['plan']) as PlanName,
      webhookSecret: str(r['webhook_secret']),
      requestCount: Number(r['request_count']),
      createdAt: time(r['created_at']),
    }),
    toToken: (r: Row): TokenRecord => ({ id: str(r['id']), orgId: str(r['org_id']), label: str(r['label']), createdAt: time(r['created_at']), revokedAt: timeOrNull(r['revoked_at']) }),
    toAsset: (r: Row): AssetRecord => ({
      id: Number(r['id']),
      orgId: str(r['org_id']),
      kind: str(r['kind']) as AssetKind,
      name: str(r['name']),
      description: str(r['description']),
      version: Number(r['v_version'] ?? r['version']),
      document: doc(r['document']),
      createdAt: time(r['created_at']),
      updatedAt: time(r['updated_at']),
    }),
    toFile: (r: Row): FileRecord => ({
      id: str(r['id']),
      orgId: str(r['org_id']),
      filename: str(r['filename']),
      mimeType: str(r['mime_type']),
      size: Number(r['size']),
      blobKey: str(r['blob_key']),
      createdAt: time(r['created_at']),
    }),
    toJob: (r: Row): JobRecord => ({
      id: str(r['id']),
      orgId: str(r['org_id']),
      status: str(r['status']) as JobStatus,
      request: doc(r['request']),
      template: doc(r['template']),
      brand: docOrNull(r['brand']),
      templateRef: doc(r['template_ref']) as JobRecord['templateRef'],
      brandRef: docOrNull(r['brand_ref']) as JobRecord['brandRef'],
      output: doc(r['output']) as JobRecord['output'],
      webhookUrl: strOrNull(r['webhook_url']),
      idempotencyKey: strOrNull(r['idempotency_key']),
      requestHash: strOrNull(r['request_hash']),
      requestId: strOrNull(r['request_id']),
      error: strOrNull(r['error']),
      createdAt: time(r['created_at']),
      updatedAt: time(r['updated_at']),
    }),
    toScene: (r: Row): SceneRecord => ({
      jobId: str(r['job_id']),
      index: Number(r['idx']),
      token: str(r['token']),
      key: str(r['key']),
      name: str(r['name']),
      width: Number(r['width']),
      height: Number(r['height']),
      format: str(r['format']),
      status: str(r['status']) as SceneStatus,
      attempts: Number(r['attempts']),
      blobKey: strOrNull(r['blob_key']),
      mimeType: strOrNull(r['mime_type']),
      etag: strOrNull(r['etag']),
      size: numOrNull(r['size']),
      errorCode: strOrNull(r['error_code']),
      errorStatus: numOrNull(r['error_status']),
      errorMessage: strOrNull(r['error_message']),
      warnings: (docOrNull(r['warnings']) ?? []) as string[],
      updatedAt: time(r['updated_at']),
    }),
    toBatch: (r: Row): BatchRecord => ({
      id: str(r['id']),
      orgId: str(r['org_id']),
      status: str(r['status']) as JobStatus,
      request: doc(r['request']),
      webhookUrl: strOrNull(r['webhook_url']),
      idempotencyKey: strOrNull(r['idempotency_key']),
      requestHash: strOrNull(r['request_hash']),
      rowsTotal: Number(r['rows_total']),
      createdAt: time(r['created_at']),
      updatedAt: time(r['updated_at']),
    }),
    toBatchRow: (r: Row): BatchRowState => ({
      index: Number(r['idx']),
      key: strOrNull(r['key']),
      jobId: strOrNull(r['job_id']),
      jobStatus: strOrNull(r['job_status']) as JobStatus | null,
      errorCode: strOrNull(r['error_code'] ?? r['scene_error_code']),
      errorMessage: strOrNull(r['error_message'] ?? r['scene_error_message']),
      jobError: strOrNull(r['job_error']),
      scenesTotal: Number(r['scenes_total'] ?? 0),
      scenesFinal: Number(r['scenes_final'] ?? 0),
      scenesStarted: Number(r['scenes_started'] ?? 0),
      updatedAt: timeOrNull(r['job_updated_at']),
    }),
    /** `prefix`: the task's columns when a query joined them under another name (`task_org_id`, …). */
    toTask: (r: Row, prefix = ''): TaskRecord => ({
      jobId: str(r['job_id']),
      orgId: str(r[`${prefix}org_id`]),
      app: str(r[`${prefix}app`]),
      webhookUrl: strOrNull(r[`${prefix}webhook_url`]),
      createdAt: time(r[`${prefix}created_at`]),
    }),
    toRevision: (r: Row): SceneRevision => ({
      jobId: str(r['job_id']),
      index: Number(r['idx']),
      revision: Number(r['revision']),
      sceneDoc: doc(r['scene_doc']),
      elements: doc(r['elements']) as unknown[],
      blobKey: str(r['blob_key']),
      file: str(r['file']),
      mimeType: str(r['mime_type']),
      etag: str(r['etag']),
      size: Number(r['size']),
      width: Number(r['width']),
      height: Number(r['height']),
      createdAt: time(r['created_at']),
    }),
    toDelivery: (r: Row): WebhookDelivery => ({
      id: str(r['id']),
      orgId: str(r['org_id']),
      jobId: str(r['job_id']),
      url: str(r['url']),
      payload: str(r['payload']),
      status: str(r['status']) as DeliveryStatus,
      attempts: Number(r['attempts']),
      nextAttemptAt: Number(r['next_attempt_at']),
      lastStatusCode: numOrNull(r['last_status_code']),
      lastError: strOrNull(r['last_error']),
      createdAt: time(r['created_at']),
      updatedAt: time(r['updated_at']),
    }),
  };
}
