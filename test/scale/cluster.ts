import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { startLocalS3, type LocalS3 } from '../blob/local-s3.js';
import { startServerChild, stopServerChild, type ServerChild } from '../helpers/server-process.js';
import { REDIS_URL, requireRedis, uniquePrefix } from '../jobs/queue-fixtures.js';
import { tempDir } from '../server/helpers.js';
import { connectTestDatabase, TEST_DATABASE_URL } from '../storage/postgres-fixture.js';

/**
 * A scaled-out deployment as real processes, for the scale tests and benches: API and worker nodes
 * (`adsmith serve --role api|worker`, one render thread each unless told) sharing PostgreSQL (a fresh schema),
 * Redis (a fresh key prefix; the machine's, or one the caller runs) and an S3 server (s3rver, a fresh bucket).
 * Nothing is shared through the file system: each process has its own data directory. `close()` stops every
 * node (SIGTERM, as an operator would) and removes the schema, the keys, the bucket and the directories.
 */
export interface Cluster {
  schema: string;
  prefix: string;
  token: string;
  redisUrl: string;
  s3: LocalS3;
  /** The tests' own connection to the database (queries under `schema`). */
  admin: pg.Pool;
  nodes: ServerChild[];
  /** The environment every node gets (`extra` from startNode is laid over it). */
  env(): Record<string, string>;
  startNode(role: 'api' | 'worker' | 'all', extra?: Record<string, string>): Promise<ServerChild>;
  /**
   * Stops every node still running with SIGTERM (SIGKILL after `graceMs`) and removes what the cluster made.
   * Returns the exit codes of the nodes it stopped, -1 for one that had to be killed.
   */
  close(graceMs?: number): Promise<Array<number | null>>;
}

export interface ClusterOptions {
  name: string;
  /** The Redis the nodes use (and whose keys close() removes); default the machine's, checked first. */
  redisUrl?: string;
  /** The PostgreSQL URL the nodes use, e.g. through a proxy a test cuts; the tests' own pool always connects directly. */
  databaseUrl?: string;
  token?: string;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  if (!opts.redisUrl) await requireRedis();
  const schema = `${opts.name}_${randomBytes(5).toString('hex')}`;
  const prefix = uniquePrefix(opts.name);
  const token = opts.token ?? `test-token-${opts.name}-${randomBytes(8).toString('hex')}`;
  const admin = await connectTestDatabase();
  const s3 = await startLocalS3();
  const dirs: string[] = [];
  const nodes: ServerChild[] = [];

  const env = (): Record<string, string> => {
    const creds = s3.descriptor();
    return {
      NODE_ENV: 'test',
      ADSMITH_DATABASE_URL: opts.databaseUrl ?? TEST_DATABASE_URL,
      ADSMITH_DATABASE_SCHEMA: schema,
      ADSMITH_REDIS_URL: redisUrl,
      ADSMITH_QUEUE_PREFIX: prefix,
      ADSMITH_S3_ENDPOINT: s3.endpoint,
      ADSMITH_S3_BUCKET: s3.bucket,
      ADSMITH_S3_ACCESS_KEY_ID: creds.accessKeyId as string,
      ADSMITH_S3_SECRET_ACCESS_KEY: creds.secretAccessKey as string,
      ADSMITH_API_TOKEN: token,
      ADSMITH_ALLOW_PRIVATE_URLS: '1',
      ADSMITH_PRELOAD_MODELS: '0',
      ADSMITH_WORKERS: '1',
    };
  };

  return {
    schema,
    prefix,
    token,
    redisUrl,
    s3,
    admin,
    nodes,
    env,
    async startNode(role, extra = {}) {
      const dataDir = tempDir();
      dirs.push(dataDir);
      const node = await startServerChild({ dataDir, args: ['src/cli/main.ts', 'serve', '--role', role], env: { ...env(), ...extra }, timeoutMs: 90_000 });
      nodes.push(node);
      return node;
    },
    async close(graceMs = 40_000) {
      const exits = await Promise.all(
        nodes.map(async (n) => {
          if (n.child.exitCode !== null || n.child.signalCode !== null) return null;
          const exited = new Promise<number | null>((r) => n.child.once('exit', (code) => r(code)));
          n.child.kill('SIGTERM');
          return Promise.race([exited, new Promise<number | null>((r) => setTimeout(() => r(-1), graceMs))]);
        }),
      );
      for (const n of nodes) await stopServerChild(n.child);
      await BullQueue.obliterate({ redisUrl, prefix }).catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await s3.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      return exits.filter((code) => code !== null);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** POSTs a plain generate of `template` (brand 167) to an API node; returns the job id. Throws on any answer but 200. */
export async function postGenerate(api: ServerChild, token: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${api.base}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: '1062', brand_id: '167', ...body }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`generate answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { request_id: string }).request_id;
}

/** Polls the store until every job is final (or `timeoutMs` passes); returns each job's status. */
export async function waitForJobs(cluster: Cluster, jobIds: string[], timeoutMs: number): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await cluster.admin.query<{ id: string; status: string }>(`SELECT id, status FROM ${cluster.schema}.jobs WHERE id = ANY($1)`, [jobIds]);
    const statuses = new Map(rows.map((r) => [r.id, r.status]));
    const open = jobIds.filter((id) => (statuses.get(id) ?? 'IN_PROGRESS') === 'IN_PROGRESS');
    if (!open.length || Date.now() > deadline) return statuses;
    await sleep(250);
  }
}
