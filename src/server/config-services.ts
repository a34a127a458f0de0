import type { S3BlobStoreDescriptor } from '../blob/descriptor.js';

/**
 * The shared services a deployment may run on, parsed from the environment by loadConfig (config.ts): the
 * metadata database, Redis for the job queue and events, and an S3 bucket for blobs. Each one absent means the
 * embedded default (SQLite file, in-process queue and events, files under the data directory). Messages name
 * the variable and never echo a value that may hold a secret (URLs with passwords, keys).
 */

type Env = Record<string, string | undefined>;

/** The process's role: `api` answers HTTP and enqueues, `worker` renders, `all` does both (the embedded default). */
export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

export interface DatabaseSettings {
  /** ADSMITH_DATABASE_URL (postgres://…); absent: the embedded SQLite file. Holds a password: never log it. */
  url?: string;
  /** ADSMITH_DATABASE_SCHEMA: the PostgreSQL schema of the tables (default public). */
  schema?: string;
}

export interface RedisSettings {
  /** ADSMITH_REDIS_URL (redis:// or rediss://). May hold a password: never log it. */
  url: string;
  /** ADSMITH_QUEUE_PREFIX: every Redis key of this deployment starts with it (default `adsmith`). */
  prefix: string;
}

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** The scheme of a URL-ish string, for messages (the rest may hold a password). */
function schemeOf(raw: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1];
  return scheme ? `a ${scheme}: URL` : 'no URL scheme';
}

function isUrl(raw: string): boolean {
  try {
    new URL(raw);
    return true;
  } catch {
    return false;
  }
}

export function parseRole(raw: string | undefined, source = '--role'): Role {
  const role = (raw ?? 'all').trim().toLowerCase() || 'all';
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`${source} must be api, worker or all (got "${raw?.slice(0, 40)}").`);
  return role as Role;
}

export function parseDatabaseSettings(env: Env): DatabaseSettings {
  const out: DatabaseSettings = {};
  const url = value(env, 'ADSMITH_DATABASE_URL');
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url) || !isUrl(url)) {
      throw new Error(
        `ADSMITH_DATABASE_URL must be a URL like postgres://user:password@host:5432/database (got ${schemeOf(url)}${/^postgres(ql)?:\/\//i.test(url) ? ' that does not parse' : ''}); leave it unset for the embedded SQLite database.`,
      );
    }
    out.url = url;
  }
  const schema = value(env, 'ADSMITH_DATABASE_SCHEMA');
  if (schema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`ADSMITH_DATABASE_SCHEMA must be lower-case letters, digits and '_' (at most 63, not starting with a digit); got "${schema.slice(0, 70)}".`);
    if (!out.url) throw new Error('ADSMITH_DATABASE_SCHEMA is set but ADSMITH_DATABASE_URL is not: a schema applies to PostgreSQL only.');
    out.schema = schema;
  }
  return out;
}

export function parseRedisSettings(env: Env): RedisSettings | null {
  const prefix = value(env, 'ADSMITH_QUEUE_PREFIX') ?? 'adsmith';
  if (!/^[A-Za-z0-9][A-Za-z0-9_:.-]{0,99}$/.test(prefix)) throw new Error(`ADSMITH_QUEUE_PREFIX must be letters, digits, '_', ':', '.' or '-' (at most 100, starting with a letter or digit); got "${prefix.slice(0, 110)}".`);
  const url = value(env, 'ADSMITH_REDIS_URL');
  if (!url) return null;
  if (!/^rediss?:\/\//i.test(url) || !isUrl(url)) throw new Error(`ADSMITH_REDIS_URL must be a URL like redis://host:6379 or rediss://user:password@host:6380/0 (got ${schemeOf(url)}); leave it unset for the in-process queue.`);
  return { url, prefix };
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  if (!/^https?:\/\//i.test(raw) || !isUrl(raw)) throw new Error(`${name} must be an http:// or https:// URL (got ${schemeOf(raw)}).`);
  return raw.replace(/\/+$/, '');
}

const S3_VARIABLES = ['ENDPOINT', 'BUCKET', 'REGION', 'PREFIX', 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'FORCE_PATH_STYLE', 'PUBLIC_URL'].map((s) => `ADSMITH_S3_${s}`);

/**
 * The S3 bucket when any ADSMITH_S3_* variable is set (then ADSMITH_S3_BUCKET is required); null for the
 * embedded default, files under `<dataDir>/blobs`.
 */
export function parseS3Settings(env: Env): S3BlobStoreDescriptor | null {
  const set = S3_VARIABLES.filter((name) => value(env, name) !== undefined);
  if (set.length === 0) return null;
  const bucket = value(env, 'ADSMITH_S3_BUCKET');
  if (!bucket) throw new Error(`ADSMITH_S3_BUCKET is required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set: name the bucket that holds the images.`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`ADSMITH_S3_BUCKET "${bucket.slice(0, 70)}" is not a bucket name: 3-63 lower-case letters, digits, '.' and '-'.`);
  const desc: S3BlobStoreDescriptor = { kind: 's3', bucket, region: value(env, 'ADSMITH_S3_REGION') ?? 'us-east-1' };
  if (!/^[a-z0-9-]{1,40}$/.test(desc.region)) throw new Error(`ADSMITH_S3_REGION "${desc.region.slice(0, 50)}" is not a region name such as us-east-1.`);
  const endpoint = httpUrl(env, 'ADSMITH_S3_ENDPOINT');
  if (endpoint) desc.endpoint = endpoint;
  const prefix = value(env, 'ADSMITH_S3_PREFIX')?.replace(/^\/+|\/+$/g, '');
  if (prefix) {
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(prefix) || prefix.split('/').some((s) => s === '..' || s === '.'))
      throw new Error(`ADSMITH_S3_PREFIX "${prefix.slice(0, 70)}" must be key segments of letters, digits, '_', '.' and '-' joined by '/' (no '..').`);
    desc.prefix = prefix;
  }
  const keyId = value(env, 'ADSMITH_S3_ACCESS_KEY_ID');
  const secret = value(env, 'ADSMITH_S3_SECRET_ACCESS_KEY');
  if (!keyId !== !secret)
    throw new Error(`ADSMITH_S3_ACCESS_KEY_ID and ADSMITH_S3_SECRET_ACCESS_KEY go together: ${keyId ? 'the secret key' : 'the key id'} is missing (or set neither to use the AWS default credential chain).`);
  if (keyId && secret) {
    desc.accessKeyId = keyId;
    desc.secretAccessKey = secret;
  }
  const pathStyle = value(env, 'ADSMITH_S3_FORCE_PATH_STYLE')?.toLowerCase();
  if (pathStyle !== undefined) {
    if (['1', 'true', 'yes'].includes(pathStyle)) desc.forcePathStyle = true;
    else if (['0', 'false', 'no'].includes(pathStyle)) desc.forcePathStyle = false;
    else throw new Error(`ADSMITH_S3_FORCE_PATH_STYLE must be 1/true/yes or 0/false/no (got "${pathStyle.slice(0, 20)}").`);
  }
  const publicUrl = httpUrl(env, 'ADSMITH_S3_PUBLIC_URL');
  if (publicUrl) desc.publicUrl = publicUrl;
  return desc;
}

/**
 * A process that is only the API or only a worker shares its state with the others through PostgreSQL and
 * Redis; the embedded SQLite file and the in-process queue cannot be shared, so such a role without them is a
 * configuration error. (S3 is needed too when the nodes are on different machines; on one machine a shared
 * ADSMITH_DATA_DIR works, so it is not required here.)
 */
export function checkRoleServices(role: Role, database: DatabaseSettings, redis: RedisSettings | null): void {
  if (role === 'all') return;
  const missing = [!database.url && 'ADSMITH_DATABASE_URL (PostgreSQL)', !redis && 'ADSMITH_REDIS_URL (Redis)'].filter(Boolean);
  if (missing.length)
    throw new Error(
      `--role ${role} runs ${role === 'api' ? 'the API without rendering' : 'rendering without the API'}, so it must share the metadata and the queue with the other nodes: set ${missing.join(' and ')}. Without them use --role all (one process, the embedded default).`,
    );
}
