import os from 'node:os';
import path from 'node:path';
import { modelSettingsFromEnv } from '../jobs/model-settings.js';
import type { ModelSettings } from '../jobs/models-protocol.js';
import type { S3BlobStoreDescriptor } from '../blob/descriptor.js';
import { textRendererFromEnv, type TextRenderer } from '../node/text-renderer.js';
import { limitsFromEnv, type RenderLimits } from './contract/limits.js';
import { parseMetricsSettings, type MetricsSettings } from './ops/metrics-access.js';
import { loadBatchSettings, type BatchSettings } from './batch/settings.js';
import { checkRoleServices, parseDatabaseSettings, parseRedisSettings, parseRole, parseS3Settings, type DatabaseSettings, type RedisSettings, type Role } from './config-services.js';
import { TASKS_PER_THREAD } from '../jobs/pool.js';

/**
 * Everything the server needs to start. `loadConfig(process.env)` is the one place the server reads the
 * environment (src/server/main.ts and the CLI call it); every other module takes its settings from here.
 */
export interface ServerConfig {
  /** Port `npm start` listens on (PORT, default 8080). */
  port: number;
  /** Interface to bind (HOST, default 0.0.0.0). */
  host: string;
  /** Directory for the SQLite database and the fs blob store (ADSMITH_DATA_DIR, default ./data). */
  dataDir: string;
  /** Base of every URL the API returns (ADSMITH_PUBLIC_URL, default http://localhost:PORT). No trailing slash. */
  publicUrl: string;
  /** Token of the default organisation (ADSMITH_API_TOKEN); when absent one is generated on first start. */
  apiToken?: string;
  /** Let input URLs reach loopback/private addresses (ADSMITH_ALLOW_PRIVATE_URLS=1; local use and tests only). */
  allowPrivateUrls: boolean;
  /** Worker threads that render (ADSMITH_WORKERS, default one per core). 0 = accept jobs but never render (API-only node). */
  workers: number;
  /**
   * Scenes each render thread holds at once (ADSMITH_TASKS_PER_THREAD, default 2: the one it draws and one queued
   * behind it, so it never waits for the main thread between scenes; 1 to 4). src/jobs/pool.ts.
   */
  tasksPerThread: number;
  /** Largest JSON body in bytes (ADSMITH_BODY_LIMIT, default 1 MiB). */
  bodyLimit: number;
  /** Largest uploaded file in bytes (ADSMITH_UPLOAD_LIMIT, default 15 MiB). */
  uploadLimit: number;
  /** Editor links stay valid this many seconds (ADSMITH_EDITOR_LINK_TTL, default 7 days). */
  editorLinkTtl: number;
  /**
   * Who may embed the editor in a frame (ADSMITH_EDITOR_FRAME_ANCESTORS, space-separated): origins such as
   * `https://app.example.com`, `'self'`, or `*` (the default: anyone). Goes into the editor page's CSP
   * `frame-ancestors` and, as origins, into the editor's postMessage allow-list.
   */
  editorFrameAncestors: string[];
  /** Webhook retry schedule in seconds; the delivery gives up after the last one (ADSMITH_WEBHOOK_BACKOFF, comma list). */
  webhookBackoff: number[];
  /** Timeout of one webhook POST in ms. */
  webhookTimeoutMs: number;
  /** Longest a `sync: true` request waits, in seconds. */
  syncTimeout: number;
  /** Log requests (pino via Fastify). */
  logger: boolean;
  /** Smart image and moderation models: back end, model locations, thresholds, preload (see src/jobs/model-settings.ts). */
  models: ModelSettings;
  /** Pixels per scene and per job, scenes per template, characters per text, scenes rendering per organisation (ADSMITH_MAX_*; src/server/contract/limits.ts). Each plan caps them. */
  limits: RenderLimits;
  /** api: HTTP only, enqueues; worker: renders, no HTTP; all: both (`adsmith serve --role`, default all). */
  role: Role;
  /** ADSMITH_DATABASE_URL / ADSMITH_DATABASE_SCHEMA: PostgreSQL; no URL: the SQLite file in dataDir. */
  database: DatabaseSettings;
  /** ADSMITH_REDIS_URL / ADSMITH_QUEUE_PREFIX: the BullMQ queue and the Redis event bus; null: in-process. */
  redis: RedisSettings | null;
  /** ADSMITH_S3_*: the bucket holding every blob; null: files under `<dataDir>/blobs`. */
  s3: S3BlobStoreDescriptor | null;
  /** ADSMITH_BATCH_*: rows per batch, batch body limit, rows checked at once. */
  batch: BatchSettings;
  /** ADSMITH_CORS_ORIGINS: `*` (default), a list of origins, or null for no CORS headers (`none`). */
  corsOrigins: string | string[] | null;
  /** ADSMITH_DEBUG_POOL: print why a render thread died. */
  debugPool: boolean;
  /** ADSMITH_TEXT_RENDERER: how render threads draw glyphs (src/node/text-renderer.ts). */
  textRenderer: TextRenderer;
  /** Who may read GET /metrics (ADSMITH_METRICS=public, ADSMITH_METRICS_TOKEN bearer, else off) and where (ADSMITH_METRICS_PORT); src/server/ops/metrics-access.ts. */
  metrics: MetricsSettings;
}

/** ADSMITH_CORS_ORIGINS: unset or `*` → any origin; `none` → no CORS headers; else a comma list of origins. */
export function parseCorsOrigins(value: string | undefined): string | string[] | null {
  const v = (value ?? '*').trim();
  if (v === '' || v === '*') return '*';
  if (v.toLowerCase() === 'none') return null;
  return v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** ADSMITH_TASKS_PER_THREAD: 1 to 4 (more only delays other organisations' scenes behind claimed ones). */
function tasksPerThread(value: string | undefined): number {
  const n = int(value, TASKS_PER_THREAD, 'ADSMITH_TASKS_PER_THREAD');
  if (n < 1 || n > 4) throw new Error(`ADSMITH_TASKS_PER_THREAD must be 1 to 4, got "${value}"`);
  return n;
}

/**
 * Parses ADSMITH_EDITOR_FRAME_ANCESTORS: entries separated by spaces (or commas), each an origin
 * (`scheme://host[:port]`, no path), `'self'` or `*`. Throws naming the variable and the bad entry.
 */
export function parseFrameAncestors(value: string | undefined): string[] {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) return ['*'];
  return entries.map((entry) => {
    if (entry === '*' || entry === "'self'") return entry;
    if (entry === 'self') return "'self'";
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    const bare = entry.replace(/\/+$/, '');
    if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || url.pathname !== '/' || url.hostname.includes('*') || url.origin !== bare.toLowerCase()) {
      throw new Error(
        `ADSMITH_EDITOR_FRAME_ANCESTORS: "${entry}" is not an origin. Give origins like https://app.example.com or http://localhost:3000 (scheme, host, optional port; no path), 'self', or *, separated by spaces.`,
      );
    }
    return url.origin;
  });
}

/** Where the metadata store is, for the admin commands (`adsmith org|token`): the data directory and the database settings. */
export interface StoreSettings {
  dataDir: string;
  database: DatabaseSettings;
}

export function loadStoreSettings(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  return { dataDir: path.resolve(env['ADSMITH_DATA_DIR'] || './data'), database: parseDatabaseSettings(env) };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = int(env['PORT'], 8080, 'PORT');
  const publicUrl = (env['ADSMITH_PUBLIC_URL'] || `http://localhost:${port}`).replace(/\/+$/, '');
  const backoff = (env['ADSMITH_WEBHOOK_BACKOFF'] ?? '5,30,120,600,1800,7200')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n) && n >= 0);
  const config: ServerConfig = {
    port,
    host: env['HOST'] || '0.0.0.0',
    dataDir: path.resolve(env['ADSMITH_DATA_DIR'] || './data'),
    publicUrl,
    allowPrivateUrls: ['1', 'true', 'yes'].includes((env['ADSMITH_ALLOW_PRIVATE_URLS'] ?? '').toLowerCase()),
    workers: int(env['ADSMITH_WORKERS'], Math.max(1, os.availableParallelism?.() ?? os.cpus().length), 'ADSMITH_WORKERS'),
    tasksPerThread: tasksPerThread(env['ADSMITH_TASKS_PER_THREAD']),
    bodyLimit: int(env['ADSMITH_BODY_LIMIT'], 1024 * 1024, 'ADSMITH_BODY_LIMIT'),
    uploadLimit: int(env['ADSMITH_UPLOAD_LIMIT'], 15 * 1024 * 1024, 'ADSMITH_UPLOAD_LIMIT'),
    editorLinkTtl: int(env['ADSMITH_EDITOR_LINK_TTL'], 7 * 24 * 3600, 'ADSMITH_EDITOR_LINK_TTL'),
    editorFrameAncestors: parseFrameAncestors(env['ADSMITH_EDITOR_FRAME_ANCESTORS']),
    webhookBackoff: backoff.length ? backoff : [5],
    webhookTimeoutMs: int(env['ADSMITH_WEBHOOK_TIMEOUT_MS'], 10_000, 'ADSMITH_WEBHOOK_TIMEOUT_MS'),
    syncTimeout: int(env['ADSMITH_SYNC_TIMEOUT'], 120, 'ADSMITH_SYNC_TIMEOUT'),
    logger: env['ADSMITH_LOG'] !== '0' && env['NODE_ENV'] !== 'test',
    models: modelSettingsFromEnv(env),
    limits: limitsFromEnv(env),
    role: parseRole(env['ADSMITH_ROLE'], 'ADSMITH_ROLE'),
    database: parseDatabaseSettings(env),
    redis: parseRedisSettings(env),
    s3: parseS3Settings(env),
    batch: loadBatchSettings(env),
    corsOrigins: parseCorsOrigins(env['ADSMITH_CORS_ORIGINS']),
    debugPool: Boolean(env['ADSMITH_DEBUG_POOL']),
    textRenderer: textRendererFromEnv(env),
    metrics: parseMetricsSettings(env),
  };
  const token = env['ADSMITH_API_TOKEN'];
  if (token) config.apiToken = token;
  const merged = { ...config, ...overrides };
  checkRoleServices(merged.role, merged.database, merged.redis);
  return merged;
}
