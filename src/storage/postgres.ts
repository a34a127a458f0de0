import pg from 'pg';
import type { PoolClient, QueryResult } from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { DatabaseUnavailableError, describePostgresTarget, isDatabaseUnavailable, reasonOf } from './postgres-errors.js';
import type {
  AssetKind,
  AssetRecord,
  BatchRecord,
  BatchRowState,
  ClaimFairness,
  ClaimedScene,
  FileRecord,
  JobRecord,
  JobStatus,
  MetadataStore,
  NewBatch,
  NewJob,
  NewSceneRevision,
  Org,
  PlanName,
  SceneFinish,
  SceneOutcome,
  SceneRecord,
  SceneRevision,
  TaskRecord,
  TokenRecord,
  WebhookDelivery,
} from './types.js';
import { interruptedOutcome } from './types.js';
import { recordMappers, str, withId, type Row } from './rows.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /**
   * The schema the store's tables live in (created by migrate() when missing), so that several deployments or
   * tests share one database. Lower-case letters, digits and `_`. Default `public`.
   */
  schema?: string;
  /** Most pooled connections (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection before the call fails as unavailable (default 5000 ms; never forever). */
  connectTimeoutMs?: number;
  /** Shown in pg_stat_activity (default `adsmith`), e.g. `adsmith-worker` to tell nodes apart. */
  applicationName?: string;
}

type Client = Pick<PoolClient, 'query'>;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Advisory-lock namespace (first key of the two-key form) for claims of a capped organisation. */
const ORG_CLAIM_LOCK = 0x41647331;
/** Half-life of what an organisation was given lately; the same rule as the SQLite adapter (ClaimFairness). */
const SERVICE_HALF_LIFE_MS = 20_000;
/** Transactions that lost a deadlock or a serialization race are run again, at most this many times. */
const MAX_TX_RETRIES = 5;
const OPEN = `('pending', 'rendering')`;

const now = (): string => new Date().toISOString();
/** timestamptz comes back as a Date: the interface's times are ISO strings, as the SQLite adapter stores them. */
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
/** jsonb parameters are sent as JSON text; SQL NULL stands for an absent document. */
const json = (v: unknown): string => JSON.stringify(v);
const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/** PostgreSQL answers timestamptz as a Date and jsonb parsed. */
const { toOrg, toToken, toAsset, toFile, toJob, toScene, toBatch, toBatchRow, toTask, toRevision, toDelivery } = recordMappers({ time: iso, doc: (v) => v });


function sqlState(err: unknown): string | undefined {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A unique violation of the named constraint: a concurrent writer got there first. */
function violated(err: unknown, constraint: string): boolean {
  return sqlState(err) === '23505' && (err as { constraint?: unknown }).constraint === constraint;
}

/** Thrown inside a transaction to roll it back and report a revision conflict. */
class RevisionConflict {
  constructor(
    readonly index: number,
    readonly latest: number,
  ) {}
}

/**
 * The metadata store on PostgreSQL, for deployments where several API and worker processes share one database.
 *
 * Every multi-row change is one transaction on one pooled connection, with the same outcome as the SQLite
 * adapter. Where SQLite gets atomicity from having a single writer, this adapter takes row locks in one order
 * (scenes before their job, a batch before its jobs) so that concurrent processes neither double-claim nor
 * double-finish: claimScene takes its scene with FOR NO KEY UPDATE SKIP LOCKED; finishing a scene locks the job row
 * before counting the job's open scenes, so exactly one finisher sees the job become final; quotas are counted
 * by a guarded UPDATE on the organisation's row. Transactions that lose a deadlock (40P01) or a serialization
 * race (40001) are run again.
 */
export class PostgresStore implements MetadataStore {
  readonly schema: string;
  /** `host:port/database`, for messages (never the password). */
  readonly target: string;
  private readonly pool: pg.Pool;
  private ended = false;

  constructor(options: PostgresStoreOptions) {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new Error(`PostgreSQL schema name '${schema}' is not allowed: use lower-case letters, digits and '_' (at most 63, not starting with a digit).`);
    }
    this.schema = schema;
    this.target = describePostgresTarget(options.connectionString);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: options.applicationName ?? 'adsmith',
      // Every pooled connection starts in the store's schema: the SQL below names tables unqualified.
      options: `-c search_path=${schema}`,
    });
    // An idle pooled connection that breaks (server restart, administrator shutdown) is dropped from the pool;
    // without a listener its error would end the process. The next call reports the outage.
    this.pool.on('error', () => {});
  }

  /** Rewrites a driver error so that an outage names PostgreSQL and the server; other errors pass unchanged. */
  private explain(err: unknown): unknown {
    if (err instanceof DatabaseUnavailableError || err instanceof RevisionConflict) return err;
    if (isDatabaseUnavailable(err)) return new DatabaseUnavailableError(`PostgreSQL at ${this.target} is unavailable: ${reasonOf(err)}`, this.target, { cause: err });
    const state = sqlState(err);
    // Refused logins (class 28) and a missing database (3D000) are configuration mistakes: say where.
    if (state && (state.startsWith('28') || state === '3D000')) return new Error(`PostgreSQL at ${this.target} refused the connection: ${reasonOf(err)}`, { cause: err });
    return err;
  }

  private async query(sql: string, params: unknown[] = [], client?: Client): Promise<QueryResult<Row>> {
    try {
      return await (client ?? this.pool).query<Row>(sql, params);
    } catch (err) {
      throw this.explain(err);
    }
  }

  private async rows(sql: string, params: unknown[] = [], client?: Client): Promise<Row[]> {
    return (await this.query(sql, params, client)).rows;
  }

  private async row(sql: string, params: unknown[] = [], client?: Client): Promise<Row | null> {
    return (await this.query(sql, params, client)).rows[0] ?? null;
  }

  /**
   * Runs `fn` in one transaction on one connection. A deadlock or serialization failure runs it again, as does
   * an error `retryOn` accepts (a concurrent writer took a unique key: the next run sees its row).
   */
  private async tx<T>(fn: (c: Client) => Promise<T>, retryOn?: (err: unknown) => boolean, commit: 'durable' | 'lease' = 'durable'): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw this.explain(err);
      }
      let broken: Error | undefined;
      try {
        // A lease needs no flush to disk before the caller goes on: lost in a crash, the scene is simply still
        // pending and is claimed again. Not waiting took a claim from 7.4-12.4 ms to 5.5-8.5 ms (loaded 2-core machine).
        await this.query(commit === 'lease' ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN', [], client);
        const out = await fn(client);
        await this.query('COMMIT', [], client);
        return out;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        const state = sqlState(err);
        const retry = state === '40P01' || state === '40001' || (retryOn?.(err) ?? false);
        if (!retry || attempt >= MAX_TX_RETRIES || broken) throw this.explain(err);
      } finally {
        // A connection whose rollback failed is discarded rather than handed to the next caller.
        client.release(broken);
      }
    }
  }

  async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // One migrator at a time per schema: a second process starting at once waits here, then finds the work done.
      await this.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`adsmith:migrate:${this.schema}`], c);
      await this.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`, [], c);
      await this.query(`CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`, [], c);
      const done = new Set((await this.rows('SELECT version FROM migrations', [], c)).map((r) => Number(r['version'])));
      for (const m of POSTGRES_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await this.query(m.sql, [], c);
        await this.query('INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()], c);
      }
    });
  }

  /** Versions recorded in the migrations table, oldest first. */
  async appliedMigrations(): Promise<number[]> {
    return (await this.rows('SELECT version FROM migrations ORDER BY version')).map((r) => Number(r['version']));
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }

  // Settings

  async getSetting(key: string): Promise<string | null> {
    const r = await this.row('SELECT value FROM settings WHERE key = $1', [key]);
    return r ? str(r['value']) : null;
  }

  async initSetting(key: string, value: string): Promise<string> {
    await this.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getSetting(key)) ?? value;
  }

  // Organisations and tokens

  async createOrg(org: Pick<Org, 'id' | 'name' | 'plan' | 'webhookSecret'>): Promise<Org> {
    const r = await this.row('INSERT INTO orgs (id, name, plan, webhook_secret, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
      org.id,
      org.name,
      org.plan,
      org.webhookSecret,
      now(),
    ]);
    return toOrg(r as Row);
  }

  async getOrg(id: string): Promise<Org | null> {
    const r = await this.row('SELECT * FROM orgs WHERE id = $1', [id]);
    return r ? toOrg(r) : null;
  }

  async listOrgs(): Promise<Org[]> {
    return (await this.rows('SELECT * FROM orgs ORDER BY created_at, seq')).map(toOrg);
  }

  async setOrgPlan(id: string, plan: PlanName): Promise<void> {
    await this.query('UPDATE orgs SET plan = $1 WHERE id = $2', [plan, id]);
  }

  async addToken(t: { id: string; orgId: string; hash: string; label: string }): Promise<TokenRecord> {
    const r = await this.row('INSERT INTO tokens (id, org_id, hash, label, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *', [t.id, t.orgId, t.hash, t.label, now()]);
    return toToken(r as Row);
  }

  async findOrgByTokenHash(hash: string): Promise<Org | null> {
    const r = await this.row('SELECT orgs.* FROM tokens JOIN orgs ON orgs.id = tokens.org_id WHERE tokens.hash = $1 AND tokens.revoked_at IS NULL', [hash]);
    return r ? toOrg(r) : null;
  }

  async revokeToken(idOrHash: string): Promise<boolean> {
    const res = await this.query('UPDATE tokens SET revoked_at = $1 WHERE (id = $2 OR hash = $2) AND revoked_at IS NULL', [now(), idOrHash]);
    return (res.rowCount ?? 0) > 0;
  }

  async listTokens(orgId: string): Promise<TokenRecord[]> {
    return (await this.rows('SELECT * FROM tokens WHERE org_id = $1 ORDER BY created_at, seq', [orgId])).map(toToken);
  }

  async countRequest(orgId: string, limit: number | null): Promise<boolean> {
    return this.countIn(this.pool, orgId, limit);
  }

  /**
   * Counts one request against the org's total; false when `limit` is reached. One guarded UPDATE: concurrent
   * counters queue on the org's row and each re-checks the limit against the count the previous one left.
   */
  private async countIn(c: Client, orgId: string, limit: number | null): Promise<boolean> {
    const res =
      limit === null
        ? await this.query('UPDATE orgs SET request_count = request_count + 1 WHERE id = $1', [orgId], c)
        : await this.query('UPDATE orgs SET request_count = request_count + 1 WHERE id = $1 AND request_count < $2', [orgId, limit], c);
    return (res.rowCount ?? 0) > 0;
  }

  // Private templates and brands

  async createAsset(orgId: string, kind: AssetKind, doc: { name: string; description: string; document: unknown }): Promise<AssetRecord> {
    const id = await this.tx(async (c) => {
      const t = now();
      const r = await this.row(
        'INSERT INTO assets (org_id, kind, name, description, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id',
        [orgId, kind, doc.name, doc.description, t],
        c,
      );
      const assetId = Number((r as Row)['id']);
      await this.query('INSERT INTO asset_versions (asset_id, version, document, created_at) VALUES ($1, 1, $2::jsonb, $3)', [assetId, json(withId(doc.document, assetId)), t], c);
      return assetId;
    });
    return (await this.getAsset(orgId, kind, id)) as AssetRecord;
  }

  async updateAsset(orgId: string, kind: AssetKind, id: number, doc: { name: string; description: string; document: unknown }): Promise<AssetRecord | null> {
    const ok = await this.tx(async (c) => {
      const r = await this.row('SELECT version FROM assets WHERE id = $1 AND org_id = $2 AND kind = $3 AND deleted_at IS NULL FOR NO KEY UPDATE', [id, orgId, kind], c);
      if (!r) return false;
      const version = Number(r['version']) + 1;
      const t = now();
      await this.query('UPDATE assets SET name = $1, description = $2, version = $3, updated_at = $4 WHERE id = $5', [doc.name, doc.description, version, t, id], c);
      await this.query('INSERT INTO asset_versions (asset_id, version, document, created_at) VALUES ($1, $2, $3::jsonb, $4)', [id, version, json(withId(doc.document, id)), t], c);
      return true;
    });
    return ok ? this.getAsset(orgId, kind, id) : null;
  }

  async getAsset(orgId: string, kind: AssetKind, id: number, version?: number): Promise<AssetRecord | null> {
    const r = await this.row(
      `SELECT assets.*, v.version AS v_version, v.document FROM assets
       JOIN asset_versions v ON v.asset_id = assets.id AND v.version = COALESCE($1::integer, assets.version)
       WHERE assets.id = $2 AND assets.org_id = $3 AND assets.kind = $4 AND assets.deleted_at IS NULL`,
      [version ?? null, id, orgId, kind],
    );
    return r ? toAsset(r) : null;
  }

  async listAssets(orgId: string, kind: AssetKind): Promise<AssetRecord[]> {
    const rows = await this.rows(
      `SELECT assets.*, v.document FROM assets JOIN asset_versions v ON v.asset_id = assets.id AND v.version = assets.version
       WHERE assets.org_id = $1 AND assets.kind = $2 AND assets.deleted_at IS NULL ORDER BY assets.id`,
      [orgId, kind],
    );
    return rows.map(toAsset);
  }

  async listAssetVersions(orgId: string, kind: AssetKind, id: number): Promise<Array<{ version: number; createdAt: string }>> {
    const rows = await this.rows(
      `SELECT v.version, v.created_at FROM asset_versions v JOIN assets a ON a.id = v.asset_id
       WHERE a.id = $1 AND a.org_id = $2 AND a.kind = $3 AND a.deleted_at IS NULL ORDER BY v.version`,
      [id, orgId, kind],
    );
    return rows.map((r) => ({ version: Number(r['version']), createdAt: iso(r['created_at']) }));
  }

  async deleteAsset(orgId: string, kind: AssetKind, id: number): Promise<boolean> {
    // Soft delete: jobs that used a version keep their snapshot; the asset disappears from lists and lookups.
    const res = await this.query('UPDATE assets SET deleted_at = $1 WHERE id = $2 AND org_id = $3 AND kind = $4 AND deleted_at IS NULL', [now(), id, orgId, kind]);
    return (res.rowCount ?? 0) > 0;
  }

  // Uploaded files

  async addFile(f: FileRecord): Promise<void> {
    await this.query('INSERT INTO files (id, org_id, filename, mime_type, size, blob_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      f.id,
      f.orgId,
      f.filename,
      f.mimeType,
      f.size,
      f.blobKey,
      f.createdAt,
    ]);
  }

  async getFile(id: string): Promise<FileRecord | null> {
    const r = await this.row('SELECT * FROM files WHERE id = $1', [id]);
    return r ? toFile(r) : null;
  }

  async listFiles(orgId: string): Promise<FileRecord[]> {
    return (await this.rows('SELECT * FROM files WHERE org_id = $1 ORDER BY created_at, seq', [orgId])).map(toFile);
  }

  async deleteFile(orgId: string, id: string): Promise<FileRecord | null> {
    const r = await this.row('DELETE FROM files WHERE id = $1 AND org_id = $2 RETURNING *', [id, orgId]);
    return r ? toFile(r) : null;
  }

  // Jobs and scenes

  /** Inserts jobs and all their scenes in two statements (inside the caller's transaction), jobs in the order given. */
  private async insertJobs(c: Client, jobs: NewJob[]): Promise<JobRecord[]> {
    if (jobs.length === 0) return [];
    const t = now();
    const inserted = await this.rows(
      `INSERT INTO jobs (id, org_id, status, request, template, brand, template_ref, brand_ref, output, webhook_url,
         idempotency_key, request_hash, request_id, error, created_at, updated_at)
       SELECT u.id, u.org_id, 'IN_PROGRESS', u.request::jsonb, u.template::jsonb, u.brand::jsonb, u.template_ref::jsonb, u.brand_ref::jsonb,
         u.output::jsonb, u.webhook_url, u.idempotency_key, u.request_hash, u.request_id, NULL, $11, $11
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $12::text[], $13::text[])
         WITH ORDINALITY AS u(id, org_id, request, template, brand, template_ref, brand_ref, output, webhook_url, idempotency_key, request_hash, request_id, n)
       ORDER BY u.n
       RETURNING *`,
      [
        jobs.map((j) => j.id),
        jobs.map((j) => j.orgId),
        jobs.map((j) => json(j.request)),
        jobs.map((j) => json(j.template)),
        jobs.map((j) => jsonOrNull(j.brand)),
        jobs.map((j) => json(j.templateRef)),
        jobs.map((j) => jsonOrNull(j.brandRef)),
        jobs.map((j) => json(j.output)),
        jobs.map((j) => j.webhookUrl),
        jobs.map((j) => j.idempotencyKey),
        t,
        jobs.map((j) => j.requestHash),
        jobs.map((j) => j.requestId ?? null),
      ],
      c,
    );
    const seqOf = new Map(inserted.map((r) => [str(r['id']), str(r['seq'])]));
    const scenes = jobs.flatMap((j) => j.scenes.map((s) => ({ job: j, s })));
    if (scenes.length > 0) {
      await this.query(
        `INSERT INTO scenes (job_id, idx, token, org_id, key, name, width, height, format, status, job_seq, updated_at)
         SELECT u.job_id, u.idx, u.token, u.org_id, u.key, u.name, u.width, u.height, u.format, 'pending', u.job_seq, $10
         FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::integer[], $9::text[], $11::bigint[])
           AS u(job_id, idx, token, org_id, key, name, width, height, format, job_seq)`,
        [
          scenes.map((x) => x.job.id),
          scenes.map((x) => x.s.index),
          scenes.map((x) => x.s.token),
          scenes.map((x) => x.job.orgId),
          scenes.map((x) => x.s.key),
          scenes.map((x) => x.s.name),
          scenes.map((x) => x.s.width),
          scenes.map((x) => x.s.height),
          scenes.map((x) => x.s.format),
          t,
          scenes.map((x) => seqOf.get(x.job.id)),
        ],
        c,
      );
    }
    return inserted.map(toJob);
  }

  async createJob(
    job: NewJob,
    quotaLimit: number | null,
  ): Promise<{ job: JobRecord; created: true } | { job: JobRecord; created: false } | { job: null; created: false; quotaExceeded: true }> {
    // Two requests with one idempotency key at once: the second's insert hits jobs_idem; run again, it finds the first's job.
    return this.tx(
      async (c) => {
        if (job.idempotencyKey) {
          const existing = await this.row('SELECT * FROM jobs WHERE org_id = $1 AND idempotency_key = $2', [job.orgId, job.idempotencyKey], c);
          if (existing) return { job: toJob(existing), created: false as const };
        }
        if (!(await this.countIn(c, job.orgId, quotaLimit))) return { job: null, created: false as const, quotaExceeded: true as const };
        const [stored] = await this.insertJobs(c, [job]);
        return { job: stored as JobRecord, created: true as const };
      },
      (err) => job.idempotencyKey !== null && violated(err, 'jobs_idem'),
    );
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const r = await this.row('SELECT * FROM jobs WHERE id = $1', [id]);
    return r ? toJob(r) : null;
  }

  async findJobByIdempotencyKey(orgId: string, key: string): Promise<JobRecord | null> {
    const r = await this.row('SELECT * FROM jobs WHERE org_id = $1 AND idempotency_key = $2', [orgId, key]);
    return r ? toJob(r) : null;
  }

  async listJobs(orgId: string, limit: number): Promise<JobRecord[]> {
    return (await this.rows('SELECT * FROM jobs WHERE org_id = $1 ORDER BY seq DESC LIMIT $2', [orgId, limit])).map(toJob);
  }

  async getScenes(jobId: string): Promise<SceneRecord[]> {
    return (await this.rows('SELECT * FROM scenes WHERE job_id = $1 ORDER BY idx', [jobId])).map(toScene);
  }

  async getSceneByToken(token: string): Promise<SceneRecord | null> {
    const r = await this.row('SELECT * FROM scenes WHERE token = $1', [token]);
    return r ? toScene(r) : null;
  }

  async claimScene(leaseMs: number, maxAttempts: number, onJobFinal?: (jobId: string) => void, fairness?: ClaimFairness): Promise<ClaimedScene | null> {
    const { claimed, finals } = await this.tx(
      async (c) => {
        const finals: string[] = [];
        for (;;) {
          const picked = await this.lockNextScene(c, fairness);
          if (!picked) return { claimed: null, finals };
          const jobId = str(picked['job_id']);
          const idx = Number(picked['idx']);
          if (Number(picked['attempts']) >= maxAttempts) {
            const res = await this.finishSceneIn(c, jobId, idx, interruptedOutcome(maxAttempts));
            if (res.becameFinal) finals.push(jobId);
            continue;
          }
          const t = Number(picked['t']);
          // The scene taken, and what its organisation was given lately (decayed to now) plus its pixels (ClaimFairness).
          const scene = await this.row(
            `WITH served AS (
               INSERT INTO claim_service (org_id, pixels, at_ms, served_seq) VALUES ($5, $6, $7, nextval('claim_serve_clock'))
               ON CONFLICT (org_id) DO UPDATE SET
                 pixels = claim_service.pixels * power(0.5, GREATEST(0, $7 - claim_service.at_ms)::double precision / $8) + $6,
                 at_ms = GREATEST(claim_service.at_ms, $7), served_seq = EXCLUDED.served_seq)
             UPDATE scenes SET status = 'rendering', attempts = attempts + 1, lease_until = $1, updated_at = $2 WHERE job_id = $3 AND idx = $4 RETURNING *`,
            [t + leaseMs, now(), jobId, idx, str(picked['org_id']), Number(picked['pixels']), t, SERVICE_HALF_LIFE_MS],
            c,
          );
          const job = await this.row('SELECT * FROM jobs WHERE id = $1', [jobId], c);
          return { claimed: { job: toJob(job as Row), scene: toScene(scene as Row) }, finals };
        }
      },
      undefined,
      'lease',
    );
    for (const id of finals) onJobFinal?.(id);
    return claimed;
  }

  async claimSceneAt(jobId: string, index: number, leaseMs: number, maxAttempts: number): Promise<{ claimed: ClaimedScene | null; becameFinal: boolean }> {
    return this.tx(
      async (c) => {
        // The scene row is locked first (as everywhere: scene, then its job), so two holders never both count one attempt.
        const r = await this.row(`SELECT status, attempts FROM scenes WHERE job_id = $1 AND idx = $2 FOR NO KEY UPDATE`, [jobId, index], c);
        if (!r || !['pending', 'rendering'].includes(str(r['status']))) return { claimed: null, becameFinal: false };
        if (Number(r['attempts']) >= maxAttempts) return { claimed: null, becameFinal: (await this.finishSceneIn(c, jobId, index, interruptedOutcome(maxAttempts))).becameFinal };
        const scene = await this.row(
          `UPDATE scenes SET status = 'rendering', attempts = attempts + 1,
             lease_until = floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint + $1, updated_at = $2
           WHERE job_id = $3 AND idx = $4 RETURNING *`,
          [leaseMs, now(), jobId, index],
          c,
        );
        const job = await this.row('SELECT * FROM jobs WHERE id = $1', [jobId], c);
        return { claimed: { job: toJob(job as Row), scene: toScene(scene as Row) }, becameFinal: false };
      },
      undefined,
      'lease',
    );
  }

  /**
   * Locks the next claimable scene (pending, or rendering with an expired lease), taking organisations in turn
   * as ClaimFairness says: least pixels given lately, then served longest ago, then oldest job. Scenes another
   * claimer holds are skipped (SKIP LOCKED), so concurrent workers each get a different one. For an organisation
   * whose plan caps its scenes rendering at once, claimers take turns on an advisory lock and recount, so the cap
   * holds across processes. The clock is the database's, shared by every node.
   */
  private async lockNextScene(c: Client, fairness: ClaimFairness | undefined): Promise<Row | null> {
    const waiting = await this.rows(
      `WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS t),
       waiting AS (
         SELECT s.org_id, MIN(s.job_seq) AS seq FROM scenes s, clock
         WHERE s.status IN ${OPEN} AND (s.status = 'pending' OR s.lease_until < clock.t) GROUP BY s.org_id),
       busy AS (
         SELECT s.org_id, COUNT(*) AS n FROM scenes s, clock
         WHERE s.status = 'rendering' AND s.lease_until >= clock.t GROUP BY s.org_id)
       SELECT w.org_id, o.plan, w.seq, COALESCE(b.n, 0) AS busy, cs.pixels, cs.at_ms, cs.served_seq, clock.t
       FROM waiting w JOIN orgs o ON o.id = w.org_id CROSS JOIN clock
       LEFT JOIN busy b ON b.org_id = w.org_id LEFT JOIN claim_service cs ON cs.org_id = w.org_id`,
      [],
      c,
    );
    const candidates = waiting
      .map((w) => {
        const t = Number(w['t']);
        const served = w['pixels'] === null ? 0 : Number(w['pixels']) * 0.5 ** (Math.max(0, t - Number(w['at_ms'])) / SERVICE_HALF_LIFE_MS);
        const cap = fairness ? fairness.orgCap(str(w['plan']) as PlanName) : Infinity;
        return { org: str(w['org_id']), seq: Number(w['seq']), busy: Number(w['busy']), cap, served, servedSeq: Number(w['served_seq'] ?? 0) };
      })
      .filter((x) => x.busy < x.cap)
      .sort((a, b) => a.served - b.served || a.servedSeq - b.servedSeq || a.seq - b.seq);
    for (const candidate of candidates) {
      if (Number.isFinite(candidate.cap)) {
        await this.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORG_CLAIM_LOCK, candidate.org], c);
        const busy = await this.row(
          `SELECT COUNT(*) AS n FROM scenes WHERE org_id = $1 AND status = 'rendering'
           AND lease_until >= floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint`,
          [candidate.org],
          c,
        );
        if (Number((busy as Row)['n']) >= candidate.cap) continue;
      }
      const scene = await this.row(
        `SELECT s.job_id, s.idx, s.attempts, s.org_id, s.width * s.height AS pixels, c.t
         FROM scenes s, (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS t) c
         WHERE s.org_id = $1 AND s.status IN ${OPEN} AND (s.status = 'pending' OR s.lease_until < c.t)
         ORDER BY s.job_seq, s.idx LIMIT 1 FOR NO KEY UPDATE OF s SKIP LOCKED`,
        [candidate.org],
        c,
      );
      if (scene) return scene;
    }
    return null;
  }

  /** Records a scene's outcome if it is still open, then settles its job (scene row first, then the job's). */
  private async finishSceneIn(c: Client, jobId: string, index: number, o: SceneOutcome): Promise<SceneFinish> {
    const t = now();
    const written =
      o.status === 'failed'
        ? await this.query(
            `UPDATE scenes SET status = 'failed', error_code = $1, error_status = $2, error_message = $3, updated_at = $4
             WHERE job_id = $5 AND idx = $6 AND status IN ${OPEN}`,
            [o.errorCode, o.errorStatus, o.errorMessage, t, jobId, index],
            c,
          )
        : await this.query(
            `UPDATE scenes SET status = $1, blob_key = $2, mime_type = $3, etag = $4, size = $5, warnings = $6::jsonb, updated_at = $7
             WHERE job_id = $8 AND idx = $9 AND status IN ${OPEN}`,
            [o.status, o.blobKey, o.mimeType, o.etag, o.status === 'done' ? o.size : 0, json(o.warnings ?? []), t, jobId, index],
            c,
          );
    return { recorded: (written.rowCount ?? 0) > 0, ...(await this.settleJobIn(c, jobId)) };
  }

  /**
   * Sets the job's final status once no scene is open. The job row is locked before the scenes are counted, so of
   * two finishers of a job's last scenes the second counts after the first committed: exactly one sees it final.
   * Only its status is read under the lock; the whole job (its documents, several KB of JSON) only once final.
   */
  private async settleJobIn(c: Client, jobId: string): Promise<{ becameFinal: true; job: JobRecord } | { becameFinal: false }> {
    const r = await this.row('SELECT status FROM jobs WHERE id = $1 FOR NO KEY UPDATE', [jobId], c);
    if (!r) throw new Error(`Job ${jobId} does not exist.`);
    if (str(r['status']) !== 'IN_PROGRESS') return { becameFinal: false };
    // Counted and set in one statement, which starts after the lock above was granted and so sees every scene
    // the previous holder of the lock finished. No row back: a scene is still open.
    const updated = await this.row(
      `UPDATE jobs SET status = CASE WHEN c.failed = 0 THEN 'COMPLETED' ELSE 'ERROR' END,
         error = CASE WHEN c.failed = 0 THEN NULL ELSE c.failed || ' of ' || c.total || ' scenes failed; GET each scene''s url for the cause.' END,
         updated_at = $2
       FROM (SELECT COUNT(*) FILTER (WHERE status IN ${OPEN}) AS open, COUNT(*) FILTER (WHERE status = 'failed') AS failed, COUNT(*) AS total
             FROM scenes WHERE job_id = $1) c
       WHERE jobs.id = $1 AND c.open = 0 RETURNING jobs.*`,
      [jobId, now()],
      c,
    );
    if (!updated) return { becameFinal: false };
    return { job: toJob(updated as Row), becameFinal: true };
  }

  async finishScene(jobId: string, index: number, outcome: SceneOutcome): Promise<SceneFinish> {
    return this.tx((c) => this.finishSceneIn(c, jobId, index, outcome));
  }

  async requeueOrphans(maxAttempts: number): Promise<string[]> {
    return this.tx(async (c) => {
      await this.query(`UPDATE scenes SET status = 'pending', lease_until = 0, updated_at = $1 WHERE status = 'rendering' AND attempts < $2`, [now(), maxAttempts], c);
      const o = interruptedOutcome(maxAttempts) as Extract<SceneOutcome, { status: 'failed' }>;
      const failed = await this.rows(
        `UPDATE scenes SET status = 'failed', error_code = $1, error_status = $2, error_message = $3, updated_at = $4
         WHERE status = 'rendering' AND attempts >= $5 RETURNING job_id, job_seq`,
        [o.errorCode, o.errorStatus, o.errorMessage, now(), maxAttempts],
        c,
      );
      const jobs = [...new Map(failed.sort((a, b) => Number(a['job_seq']) - Number(b['job_seq'])).map((r) => [str(r['job_id']), true])).keys()];
      const finals: string[] = [];
      for (const jobId of jobs) if ((await this.settleJobIn(c, jobId)).becameFinal) finals.push(jobId);
      return finals;
    });
  }

  async requeueScene(jobId: string, index: number, maxAttempts: number): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await this.row(`SELECT attempts FROM scenes WHERE job_id = $1 AND idx = $2 AND status = 'rendering' FOR NO KEY UPDATE`, [jobId, index], c);
      if (!r) return false;
      if (Number(r['attempts']) >= maxAttempts) return (await this.finishSceneIn(c, jobId, index, interruptedOutcome(maxAttempts))).becameFinal;
      await this.query(`UPDATE scenes SET status = 'pending', lease_until = 0, updated_at = $1 WHERE job_id = $2 AND idx = $3`, [now(), jobId, index], c);
      return false;
    });
  }

  async cancelJob(jobId: string): Promise<boolean> {
    return this.tx((c) => this.cancelJobIn(c, jobId));
  }

  /** Cancels the job's open scenes, then the job (scene rows before the job's, as finishing does). False when already final. */
  private async cancelJobIn(c: Client, jobId: string): Promise<boolean> {
    const job = await this.row('SELECT status FROM jobs WHERE id = $1', [jobId], c);
    if (!job || str(job['status']) !== 'IN_PROGRESS') return false;
    const t = now();
    await this.query(`UPDATE scenes SET status = 'cancelled', updated_at = $1 WHERE job_id = $2 AND status IN ${OPEN}`, [t, jobId], c);
    const res = await this.query(`UPDATE jobs SET status = 'CANCELLED', error = 'Cancelled by request.', updated_at = $1 WHERE id = $2 AND status = 'IN_PROGRESS'`, [t, jobId], c);
    return (res.rowCount ?? 0) > 0;
  }

  async countPendingScenes(): Promise<number> {
    const r = await this.row(`SELECT COUNT(*) AS n FROM scenes WHERE status IN ${OPEN}`);
    return Number((r as Row)['n']);
  }

  async claimableScenes(limit: number): Promise<Array<{ jobId: string; index: number; orgId: string }>> {
    const rows = await this.rows(
      `SELECT job_id, idx, org_id FROM scenes WHERE status = 'pending'
          OR (status = 'rendering' AND lease_until < floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
        ORDER BY job_seq, idx LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ jobId: str(r['job_id']), index: Number(r['idx']), orgId: str(r['org_id']) }));
  }

  // Batches

  async createBatch(batch: NewBatch, quotaLimit: number | null, quotaError: { code: string; message: string }): Promise<{ batch: BatchRecord; created: boolean }> {
    return this.tx(
      async (c) => {
        if (batch.idempotencyKey) {
          const existing = await this.row('SELECT * FROM batches WHERE org_id = $1 AND idempotency_key = $2', [batch.orgId, batch.idempotencyKey], c);
          if (existing) return { batch: toBatch(existing), created: false };
        }
        // Quota: the org's row is locked once and the whole batch counted at once; rows take what is left in order.
        // NO KEY UPDATE, taken before any insert: it does not wait on the key-share locks that other transactions'
        // foreign keys to the org hold, so two batches of one org queue here instead of deadlocking.
        const wanted = batch.rows.filter((r) => r.job).length;
        let room = 0;
        if (wanted > 0) {
          const org = await this.row('SELECT request_count FROM orgs WHERE id = $1 FOR NO KEY UPDATE', [batch.orgId], c);
          room = !org ? 0 : quotaLimit === null ? wanted : Math.max(0, Math.min(wanted, quotaLimit - Number(org['request_count'])));
          if (room > 0) await this.query('UPDATE orgs SET request_count = request_count + $1 WHERE id = $2', [room, batch.orgId], c);
        }
        const t = now();
        await this.query(
          `INSERT INTO batches (id, org_id, status, request, webhook_url, idempotency_key, request_hash, rows_total, created_at, updated_at)
           VALUES ($1, $2, 'IN_PROGRESS', $3::jsonb, $4, $5, $6, $7, $8, $8)`,
          [batch.id, batch.orgId, json(batch.request), batch.webhookUrl, batch.idempotencyKey, batch.requestHash, batch.rows.length, t],
          c,
        );
        const accepted: NewJob[] = [];
        const rows = batch.rows.map((row) => {
          let job = row.job;
          let error = row.error;
          if (job && accepted.length >= room) {
            job = null;
            error = quotaError;
          }
          if (job) accepted.push(job);
          return {
            index: row.index,
            key: row.key,
            jobId: job?.id ?? null,
            code: job ? null : (error?.code ?? 'ADS_BAD_REQUEST'),
            message: job ? null : (error?.message ?? 'The row was refused.'),
          };
        });
        await this.insertJobs(c, accepted);
        if (rows.length > 0) {
          await this.query(
            `INSERT INTO batch_rows (batch_id, idx, key, job_id, error_code, error_message)
             SELECT $1, u.idx, u.key, u.job_id, u.error_code, u.error_message FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS u(idx, key, job_id, error_code, error_message)`,
            [batch.id, rows.map((r) => r.index), rows.map((r) => r.key), rows.map((r) => r.jobId), rows.map((r) => r.code), rows.map((r) => r.message)],
            c,
          );
        }
        // A batch none of whose rows was accepted is final at once.
        const settled = await this.settleBatchIn(c, batch.id);
        return { batch: (settled as { batch: BatchRecord }).batch, created: true };
      },
      (err) => batch.idempotencyKey !== null && violated(err, 'batches_idem'),
    );
  }

  async getBatch(id: string): Promise<BatchRecord | null> {
    const r = await this.row('SELECT * FROM batches WHERE id = $1', [id]);
    return r ? toBatch(r) : null;
  }

  async findBatchByIdempotencyKey(orgId: string, key: string): Promise<BatchRecord | null> {
    const r = await this.row('SELECT * FROM batches WHERE org_id = $1 AND idempotency_key = $2', [orgId, key]);
    return r ? toBatch(r) : null;
  }

  async listBatches(orgId: string, limit: number): Promise<BatchRecord[]> {
    return (await this.rows('SELECT * FROM batches WHERE org_id = $1 ORDER BY seq DESC LIMIT $2', [orgId, limit])).map(toBatch);
  }

  async getBatchRows(batchId: string): Promise<BatchRowState[]> {
    const rows = await this.rows(
      `SELECT r.idx, r.key, r.job_id, r.error_code, r.error_message, j.status AS job_status, j.error AS job_error, j.updated_at AS job_updated_at,
         sc.total AS scenes_total, sc.final AS scenes_final, sc.started AS scenes_started,
         fail.error_code AS scene_error_code, fail.error_message AS scene_error_message
       FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id
       LEFT JOIN LATERAL (
         SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE s.status IN ('done', 'moderated', 'failed', 'cancelled')) AS final,
           COUNT(*) FILTER (WHERE s.status <> 'pending') AS started
         FROM scenes s WHERE s.job_id = r.job_id) sc ON true
       LEFT JOIN LATERAL (
         SELECT s.error_code, s.error_message FROM scenes s WHERE s.job_id = r.job_id AND s.status = 'failed' ORDER BY s.idx LIMIT 1) fail ON true
       WHERE r.batch_id = $1 ORDER BY r.idx`,
      [batchId],
    );
    return rows.map(toBatchRow);
  }

  async getBatchScenes(batchId: string): Promise<Map<string, SceneRecord[]>> {
    const rows = await this.rows('SELECT s.* FROM batch_rows r JOIN scenes s ON s.job_id = r.job_id WHERE r.batch_id = $1 ORDER BY r.idx, s.idx', [batchId]);
    const out = new Map<string, SceneRecord[]>();
    for (const r of rows) {
      const scene = toScene(r);
      const list = out.get(scene.jobId);
      if (list) list.push(scene);
      else out.set(scene.jobId, [scene]);
    }
    return out;
  }

  async findBatchOfJob(jobId: string): Promise<string | null> {
    const r = await this.row('SELECT batch_id FROM batch_rows WHERE job_id = $1', [jobId]);
    return r ? str(r['batch_id']) : null;
  }

  /** Settles the batch under its row lock, so of concurrent settlers exactly one sees it become final. */
  private async settleBatchIn(c: Client, batchId: string): Promise<{ batch: BatchRecord; becameFinal: boolean } | null> {
    const r = await this.row('SELECT * FROM batches WHERE id = $1 FOR NO KEY UPDATE', [batchId], c);
    if (!r) return null;
    const batch = toBatch(r);
    if (batch.status !== 'IN_PROGRESS') return { batch, becameFinal: false };
    const counts = (await this.row(
      `SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE j.status = 'IN_PROGRESS') AS open,
         COUNT(*) FILTER (WHERE r.job_id IS NULL OR j.status = 'ERROR') AS failed
       FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = $1`,
      [batchId],
      c,
    )) as Row;
    if (Number(counts['open']) > 0) return { batch, becameFinal: false };
    const status: JobStatus = Number(counts['failed']) === Number(counts['total']) ? 'ERROR' : 'COMPLETED';
    const updated = await this.row('UPDATE batches SET status = $1, updated_at = $2 WHERE id = $3 RETURNING *', [status, now(), batchId], c);
    return { batch: toBatch(updated as Row), becameFinal: true };
  }

  async settleBatch(batchId: string): Promise<{ batch: BatchRecord; becameFinal: boolean } | null> {
    return this.tx((c) => this.settleBatchIn(c, batchId));
  }

  async cancelBatch(batchId: string): Promise<{ batch: BatchRecord; cancelledJobs: string[] } | null> {
    return this.tx(async (c) => {
      const b = await this.row('SELECT status FROM batches WHERE id = $1 FOR NO KEY UPDATE', [batchId], c);
      if (!b || str(b['status']) !== 'IN_PROGRESS') return null;
      const open = await this.rows(`SELECT r.job_id FROM batch_rows r JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = $1 AND j.status = 'IN_PROGRESS' ORDER BY r.idx`, [batchId], c);
      const cancelledJobs: string[] = [];
      for (const r of open) if (await this.cancelJobIn(c, str(r['job_id']))) cancelledJobs.push(str(r['job_id']));
      const updated = await this.row(`UPDATE batches SET status = 'CANCELLED', updated_at = $1 WHERE id = $2 RETURNING *`, [now(), batchId], c);
      return { batch: toBatch(updated as Row), cancelledJobs };
    });
  }

  async openBatches(limit: number): Promise<BatchRecord[]> {
    return (await this.rows(`SELECT * FROM batches WHERE status = 'IN_PROGRESS' ORDER BY seq LIMIT $1`, [limit])).map(toBatch);
  }

  async batchesMissingDelivery(limit: number): Promise<BatchRecord[]> {
    const rows = await this.rows(
      `SELECT * FROM batches b WHERE b.webhook_url IS NOT NULL AND b.status <> 'IN_PROGRESS'
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = b.id) ORDER BY b.seq LIMIT $1`,
      [limit],
    );
    return rows.map(toBatch);
  }

  // Hosted-app tasks

  async createTask(
    job: NewJob,
    task: Pick<TaskRecord, 'app' | 'webhookUrl'>,
    quotaLimit: number | null,
  ): Promise<{ job: JobRecord; task: TaskRecord } | { job: null; quotaExceeded: true }> {
    return this.tx(async (c) => {
      if (!(await this.countIn(c, job.orgId, quotaLimit))) return { job: null, quotaExceeded: true as const };
      const [stored] = await this.insertJobs(c, [job]);
      const t = await this.row('INSERT INTO tasks (job_id, org_id, app, webhook_url, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *', [job.id, job.orgId, task.app, task.webhookUrl, now()], c);
      return { job: stored as JobRecord, task: toTask(t as Row) };
    });
  }

  async getTask(jobId: string): Promise<TaskRecord | null> {
    const r = await this.row('SELECT * FROM tasks WHERE job_id = $1', [jobId]);
    return r ? toTask(r) : null;
  }

  async tasksMissingDelivery(limit: number): Promise<Array<{ job: JobRecord; task: TaskRecord }>> {
    const rows = await this.rows(
      `SELECT j.*, t.org_id AS task_org_id, t.app AS task_app, t.webhook_url AS task_webhook_url, t.created_at AS task_created_at
       FROM tasks t JOIN jobs j ON j.id = t.job_id
       WHERE t.webhook_url IS NOT NULL AND j.status <> 'IN_PROGRESS'
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = t.job_id) ORDER BY j.seq LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ job: toJob(r), task: toTask({ ...r, job_id: r['id'] }, 'task_') }));
  }

  // Scene revisions

  async addSceneRevisions(revisions: NewSceneRevision[]): Promise<{ ok: true; revisions: SceneRevision[] } | { ok: false; index: number; latest: number }> {
    try {
      // Two saves on the same revision at once: both read the same latest, the second's insert hits the primary
      // key; run again, it reads the first's revision and reports the conflict.
      const stored = await this.tx(
        async (c) => {
          const t = now();
          const out: SceneRevision[] = [];
          for (const r of revisions) {
            const latestRow = await this.row('SELECT COALESCE(MAX(revision), 0) AS latest FROM scene_revisions WHERE job_id = $1 AND idx = $2', [r.jobId, r.index], c);
            const latest = Number((latestRow as Row)['latest']);
            if (r.revision !== latest + 1) throw new RevisionConflict(r.index, latest);
            const row = await this.row(
              `INSERT INTO scene_revisions (job_id, idx, revision, scene_doc, elements, blob_key, file, mime_type, etag, size, width, height, created_at)
               VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
              [r.jobId, r.index, r.revision, json(r.sceneDoc), json(r.elements), r.blobKey, r.file, r.mimeType, r.etag, r.size, r.width, r.height, t],
              c,
            );
            out.push(toRevision(row as Row));
          }
          return out;
        },
        (err) => violated(err, 'scene_revisions_pkey'),
      );
      return { ok: true, revisions: stored };
    } catch (err) {
      if (err instanceof RevisionConflict) return { ok: false, index: err.index, latest: err.latest };
      throw err;
    }
  }

  async listSceneRevisions(jobId: string, index?: number): Promise<SceneRevision[]> {
    const rows =
      index === undefined
        ? await this.rows('SELECT * FROM scene_revisions WHERE job_id = $1 ORDER BY idx, revision', [jobId])
        : await this.rows('SELECT * FROM scene_revisions WHERE job_id = $1 AND idx = $2 ORDER BY revision', [jobId, index]);
    return rows.map(toRevision);
  }

  async latestSceneRevision(jobId: string, index: number): Promise<SceneRevision | null> {
    const r = await this.row('SELECT * FROM scene_revisions WHERE job_id = $1 AND idx = $2 ORDER BY revision DESC LIMIT 1', [jobId, index]);
    return r ? toRevision(r) : null;
  }

  async getSceneRevisionByFile(file: string): Promise<SceneRevision | null> {
    const r = await this.row('SELECT * FROM scene_revisions WHERE file = $1', [file]);
    return r ? toRevision(r) : null;
  }

  // Webhook deliveries

  async addDelivery(d: Pick<WebhookDelivery, 'id' | 'orgId' | 'jobId' | 'url' | 'payload' | 'nextAttemptAt'>): Promise<void> {
    await this.query(
      `INSERT INTO webhook_deliveries (id, org_id, job_id, url, payload, status, attempts, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $7)`,
      [d.id, d.orgId, d.jobId, d.url, d.payload, d.nextAttemptAt, now()],
    );
  }

  async dueDeliveries(nowMs: number, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.rows(`SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, seq LIMIT $2`, [nowMs, limit]);
    return rows.map(toDelivery);
  }

  async updateDelivery(id: string, c: Pick<WebhookDelivery, 'status' | 'attempts' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError'>): Promise<void> {
    await this.query(
      'UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, last_status_code = $4, last_error = $5, updated_at = $6 WHERE id = $7',
      [c.status, c.attempts, c.nextAttemptAt, c.lastStatusCode, c.lastError, now(), id],
    );
  }

  async getDelivery(id: string): Promise<WebhookDelivery | null> {
    const r = await this.row('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
    return r ? toDelivery(r) : null;
  }

  async jobsMissingDelivery(limit: number): Promise<JobRecord[]> {
    const rows = await this.rows(
      `SELECT * FROM jobs j WHERE j.webhook_url IS NOT NULL AND j.status <> 'IN_PROGRESS'
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = j.id) ORDER BY j.seq LIMIT $1`,
      [limit],
    );
    return rows.map(toJob);
  }

  async listDeliveries(orgId: string, limit: number): Promise<WebhookDelivery[]> {
    return (await this.rows('SELECT * FROM webhook_deliveries WHERE org_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2', [orgId, limit])).map(toDelivery);
  }
}
