import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  AssetKind,
  BatchRecord,
  BatchRowState,
  AssetRecord,
  ClaimFairness,
  ClaimedScene,
  FileRecord,
  JobRecord,
  JobStatus,
  MetadataStore,
  NewBatch,
  NewJob,
  Org,
  PlanName,
  SceneFinish,
  SceneOutcome,
  SceneRecord,
  SceneRevision,
  NewSceneRevision,
  SceneStatus,
  TaskRecord,
  TokenRecord,
  WebhookDelivery,
} from './types.js';
import { interruptedOutcome } from './types.js';
import { recordMappers, str, withId, type Row } from './rows.js';

/** Ordered migrations; each runs once, in a transaction, recorded in `migrations`. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE orgs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL, webhook_secret TEXT NOT NULL,
    request_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
  );
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
  );
  CREATE TABLE assets (
    id INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL REFERENCES orgs(id), kind TEXT NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL, version INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT
  );
  INSERT INTO sqlite_sequence (name, seq) VALUES ('assets', 9999);
  CREATE INDEX assets_org ON assets (org_id, kind);
  CREATE TABLE asset_versions (
    asset_id INTEGER NOT NULL REFERENCES assets(id), version INTEGER NOT NULL, document TEXT NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (asset_id, version)
  );
  CREATE TABLE files (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), filename TEXT NOT NULL, mime_type TEXT NOT NULL,
    size INTEGER NOT NULL, blob_key TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE INDEX files_org ON files (org_id);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), status TEXT NOT NULL,
    request TEXT NOT NULL, template TEXT NOT NULL, brand TEXT, template_ref TEXT NOT NULL, brand_ref TEXT,
    output TEXT NOT NULL, webhook_url TEXT, idempotency_key TEXT, request_hash TEXT, error TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX jobs_idem ON jobs (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE INDEX jobs_org ON jobs (org_id, seq);
  CREATE TABLE scenes (
    job_id TEXT NOT NULL REFERENCES jobs(id), idx INTEGER NOT NULL, token TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL, name TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NOT NULL DEFAULT 0, job_seq INTEGER NOT NULL,
    blob_key TEXT, mime_type TEXT, etag TEXT, size INTEGER,
    error_code TEXT, error_status INTEGER, error_message TEXT, updated_at TEXT NOT NULL,
    PRIMARY KEY (job_id, idx)
  );
  CREATE INDEX scenes_queue ON scenes (status, job_seq, idx);
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, job_id TEXT NOT NULL, url TEXT NOT NULL, payload TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
    last_status_code INTEGER, last_error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX deliveries_org ON webhook_deliveries (org_id, created_at);
  `,
  // 2: what the renderer had to say about a scene (a missing font fell back, smart image not applied, …)
  `ALTER TABLE scenes ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';`,
  // 3: batches — many rows sharing template, brand and options; each accepted row is a job
  `
  CREATE TABLE batches (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), status TEXT NOT NULL, request TEXT NOT NULL,
    webhook_url TEXT, idempotency_key TEXT, request_hash TEXT, rows_total INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX batches_idem ON batches (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE INDEX batches_org ON batches (org_id, seq);
  CREATE INDEX batches_open ON batches (status);
  CREATE TABLE batch_rows (
    batch_id TEXT NOT NULL REFERENCES batches(id), idx INTEGER NOT NULL, key TEXT, job_id TEXT REFERENCES jobs(id),
    error_code TEXT, error_message TEXT, PRIMARY KEY (batch_id, idx)
  );
  CREATE INDEX batch_rows_job ON batch_rows (job_id) WHERE job_id IS NOT NULL;
  `,
  // 4: hosted-app tasks — a job started by POST /apps/run, with the app it named and its webhook
  `
  CREATE TABLE tasks (
    job_id TEXT PRIMARY KEY REFERENCES jobs(id), org_id TEXT NOT NULL REFERENCES orgs(id), app TEXT NOT NULL,
    webhook_url TEXT, created_at TEXT NOT NULL
  );
  `,
  // 5: scene revisions — the editor's saves; the job's own scene row (revision 0) is never changed by them
  `
  CREATE TABLE scene_revisions (
    job_id TEXT NOT NULL REFERENCES jobs(id), idx INTEGER NOT NULL, revision INTEGER NOT NULL,
    scene_doc TEXT NOT NULL, elements TEXT NOT NULL, blob_key TEXT NOT NULL, file TEXT NOT NULL UNIQUE,
    mime_type TEXT NOT NULL, etag TEXT NOT NULL, size INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (job_id, idx, revision)
  );
  `,
  // 6: the HTTP request that created a job, carried into the scene logs of whichever worker renders it
  `ALTER TABLE jobs ADD COLUMN request_id TEXT;`,
];

const now = (): string => new Date().toISOString();
/** SQLite keeps times as ISO text and documents as JSON text. */
const { toOrg, toToken, toAsset, toFile, toJob, toScene, toBatch, toBatchRow, toTask, toRevision, toDelivery } = recordMappers({ time: str, doc: (v) => JSON.parse(str(v)) });

/** The embedded metadata store: one SQLite file in WAL mode. `:memory:` works for tests. */
/**
 * How long claimScene remembers what an organisation was given: its pixels claimed count half after this.
 * Long enough that a heavy organisation that just had the threads yields to a light one for the light one's
 * whole job; short enough that it is never starved (its count decays while it waits).
 */
const SERVICE_HALF_LIFE_MS = 20_000;

export class SqliteStore implements MetadataStore {
  readonly db: Database.Database;
  /** When each organisation last had a scene claimed (a counter): the round robin of claimScene. */
  private servedAt = new Map<string, number>();
  private serveClock = 0;
  /** Pixels claimed per organisation, halving every SERVICE_HALF_LIFE_MS: who has been served most lately. */
  private service = new Map<string, { pixels: number; at: number }>();
  /**
   * Prepared statements of the scene queue, by SQL text. Every scene is claimed and finished by a handful of
   * statements; preparing them anew on each call was a fifth of the main thread's time in a batch
   * (bench/batch.bench.ts profiled). Only fixed SQL texts come here, so the map stays small.
   */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  /** The prepared statement for a fixed SQL text of the queue's hot path (prepared once, then reused). */
  private queueSql(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((this.db.prepare('SELECT version FROM migrations').all() as Row[]).map((r) => Number(r['version'])));
    MIGRATIONS.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(version, now());
      })();
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async getSetting(key: string): Promise<string | null> {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return r ? str(r['value']) : null;
  }

  async initSetting(key: string, value: string): Promise<string> {
    this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, value);
    return (await this.getSetting(key)) ?? value;
  }

  async createOrg(org: Pick<Org, 'id' | 'name' | 'plan' | 'webhookSecret'>): Promise<Org> {
    this.db
      .prepare('INSERT INTO orgs (id, name, plan, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(org.id, org.name, org.plan, org.webhookSecret, now());
    return (await this.getOrg(org.id)) as Org;
  }

  async getOrg(id: string): Promise<Org | null> {
    const r = this.db.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as Row | undefined;
    return r ? toOrg(r) : null;
  }

  async listOrgs(): Promise<Org[]> {
    return (this.db.prepare('SELECT * FROM orgs ORDER BY created_at').all() as Row[]).map(toOrg);
  }

  async setOrgPlan(id: string, plan: PlanName): Promise<void> {
    this.db.prepare('UPDATE orgs SET plan = ? WHERE id = ?').run(plan, id);
  }

  async addToken(t: { id: string; orgId: string; hash: string; label: string }): Promise<TokenRecord> {
    this.db.prepare('INSERT INTO tokens (id, org_id, hash, label, created_at) VALUES (?, ?, ?, ?, ?)').run(t.id, t.orgId, t.hash, t.label, now());
    return toToken(this.db.prepare('SELECT * FROM tokens WHERE id = ?').get(t.id) as Row);
  }

  async findOrgByTokenHash(hash: string): Promise<Org | null> {
    const r = this.db
      .prepare('SELECT orgs.* FROM tokens JOIN orgs ON orgs.id = tokens.org_id WHERE tokens.hash = ? AND tokens.revoked_at IS NULL')
      .get(hash) as Row | undefined;
    return r ? toOrg(r) : null;
  }

  async revokeToken(idOrHash: string): Promise<boolean> {
    const res = this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE (id = ? OR hash = ?) AND revoked_at IS NULL').run(now(), idOrHash, idOrHash);
    return res.changes > 0;
  }

  async listTokens(orgId: string): Promise<TokenRecord[]> {
    return (this.db.prepare('SELECT * FROM tokens WHERE org_id = ? ORDER BY created_at').all(orgId) as Row[]).map(toToken);
  }

  async countRequest(orgId: string, limit: number | null): Promise<boolean> {
    return this.countSync(orgId, limit);
  }

  async createAsset(orgId: string, kind: AssetKind, doc: { name: string; description: string; document: unknown }): Promise<AssetRecord> {
    const id = this.db.transaction(() => {
      const t = now();
      const res = this.db
        .prepare('INSERT INTO assets (org_id, kind, name, description, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
        .run(orgId, kind, doc.name, doc.description, t, t);
      const assetId = Number(res.lastInsertRowid);
      this.db.prepare('INSERT INTO asset_versions (asset_id, version, document, created_at) VALUES (?, 1, ?, ?)').run(assetId, JSON.stringify(withId(doc.document, assetId)), t);
      return assetId;
    })();
    return (await this.getAsset(orgId, kind, id)) as AssetRecord;
  }

  async updateAsset(
    orgId: string,
    kind: AssetKind,
    id: number,
    doc: { name: string; description: string; document: unknown },
  ): Promise<AssetRecord | null> {
    const ok = this.db.transaction(() => {
      const r = this.db.prepare('SELECT version FROM assets WHERE id = ? AND org_id = ? AND kind = ? AND deleted_at IS NULL').get(id, orgId, kind) as
        | Row
        | undefined;
      if (!r) return false;
      const version = Number(r['version']) + 1;
      const t = now();
      this.db.prepare('UPDATE assets SET name = ?, description = ?, version = ?, updated_at = ? WHERE id = ?').run(doc.name, doc.description, version, t, id);
      this.db.prepare('INSERT INTO asset_versions (asset_id, version, document, created_at) VALUES (?, ?, ?, ?)').run(id, version, JSON.stringify(withId(doc.document, id)), t);
      return true;
    })();
    return ok ? this.getAsset(orgId, kind, id) : null;
  }

  async getAsset(orgId: string, kind: AssetKind, id: number, version?: number): Promise<AssetRecord | null> {
    const r = this.db
      .prepare(
        `SELECT assets.*, v.version AS v_version, v.document FROM assets
         JOIN asset_versions v ON v.asset_id = assets.id AND v.version = COALESCE(?, assets.version)
         WHERE assets.id = ? AND assets.org_id = ? AND assets.kind = ? AND assets.deleted_at IS NULL`,
      )
      .get(version ?? null, id, orgId, kind) as Row | undefined;
    return r ? toAsset(r) : null;
  }

  async listAssets(orgId: string, kind: AssetKind): Promise<AssetRecord[]> {
    return (
      this.db
        .prepare(
          `SELECT assets.*, v.document FROM assets JOIN asset_versions v ON v.asset_id = assets.id AND v.version = assets.version
           WHERE assets.org_id = ? AND assets.kind = ? AND assets.deleted_at IS NULL ORDER BY assets.id`,
        )
        .all(orgId, kind) as Row[]
    ).map(toAsset);
  }

  async listAssetVersions(orgId: string, kind: AssetKind, id: number): Promise<Array<{ version: number; createdAt: string }>> {
    return (
      this.db
        .prepare(
          `SELECT v.version, v.created_at FROM asset_versions v JOIN assets a ON a.id = v.asset_id
           WHERE a.id = ? AND a.org_id = ? AND a.kind = ? AND a.deleted_at IS NULL ORDER BY v.version`,
        )
        .all(id, orgId, kind) as Row[]
    ).map((r) => ({ version: Number(r['version']), createdAt: str(r['created_at']) }));
  }

  async deleteAsset(orgId: string, kind: AssetKind, id: number): Promise<boolean> {
    // Soft delete: jobs that used a version keep their snapshot; the asset disappears from lists and lookups.
    return this.db.prepare('UPDATE assets SET deleted_at = ? WHERE id = ? AND org_id = ? AND kind = ? AND deleted_at IS NULL').run(now(), id, orgId, kind).changes > 0;
  }

  async addFile(f: FileRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO files (id, org_id, filename, mime_type, size, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(f.id, f.orgId, f.filename, f.mimeType, f.size, f.blobKey, f.createdAt);
  }

  async getFile(id: string): Promise<FileRecord | null> {
    const r = this.db.prepare('SELECT * FROM files WHERE id = ?').get(id) as Row | undefined;
    return r ? toFile(r) : null;
  }

  async listFiles(orgId: string): Promise<FileRecord[]> {
    return (this.db.prepare('SELECT * FROM files WHERE org_id = ? ORDER BY created_at').all(orgId) as Row[]).map(toFile);
  }

  async deleteFile(orgId: string, id: string): Promise<FileRecord | null> {
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT * FROM files WHERE id = ? AND org_id = ?').get(id, orgId) as Row | undefined;
      if (!r) return null;
      this.db.prepare('DELETE FROM files WHERE id = ?').run(id);
      return toFile(r);
    })();
  }

  /** Inserts a job and its scenes (inside the caller's transaction). */
  private insertJobSync(job: NewJob): void {
    const t = now();
    const seqRow = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM jobs').get() as Row;
    const seq = Number(seqRow['seq']);
    this.db
      .prepare(
        `INSERT INTO jobs (id, org_id, status, request, template, brand, template_ref, brand_ref, output, webhook_url,
           idempotency_key, request_hash, request_id, error, created_at, updated_at, seq)
         VALUES (?, ?, 'IN_PROGRESS', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      )
      .run(
        job.id,
        job.orgId,
        JSON.stringify(job.request),
        JSON.stringify(job.template),
        job.brand === null ? null : JSON.stringify(job.brand),
        JSON.stringify(job.templateRef),
        job.brandRef === null ? null : JSON.stringify(job.brandRef),
        JSON.stringify(job.output),
        job.webhookUrl,
        job.idempotencyKey,
        job.requestHash,
        job.requestId ?? null,
        t,
        t,
        seq,
      );
    const insert = this.db.prepare(
      `INSERT INTO scenes (job_id, idx, token, key, name, width, height, format, status, job_seq, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    );
    for (const s of job.scenes) insert.run(job.id, s.index, s.token, s.key, s.name, s.width, s.height, s.format, seq, t);
  }

  async createJob(
    job: NewJob,
    quotaLimit: number | null,
  ): Promise<{ job: JobRecord; created: true } | { job: JobRecord; created: false } | { job: null; created: false; quotaExceeded: true }> {
    const outcome = this.db.transaction((): 'created' | 'existing' | 'quota' => {
      if (job.idempotencyKey) {
        const existing = this.db.prepare('SELECT id FROM jobs WHERE org_id = ? AND idempotency_key = ?').get(job.orgId, job.idempotencyKey) as Row | undefined;
        if (existing) {
          job = { ...job, id: str(existing['id']) };
          return 'existing';
        }
      }
      if (!this.countSync(job.orgId, quotaLimit)) return 'quota';
      this.insertJobSync(job);
      return 'created';
    })();
    if (outcome === 'quota') return { job: null, created: false, quotaExceeded: true };
    const stored = (await this.getJob(job.id)) as JobRecord;
    return outcome === 'created' ? { job: stored, created: true } : { job: stored, created: false };
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? toJob(r) : null;
  }

  async findJobByIdempotencyKey(orgId: string, key: string): Promise<JobRecord | null> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE org_id = ? AND idempotency_key = ?').get(orgId, key) as Row | undefined;
    return r ? toJob(r) : null;
  }

  async listJobs(orgId: string, limit: number): Promise<JobRecord[]> {
    return (this.db.prepare('SELECT * FROM jobs WHERE org_id = ? ORDER BY seq DESC LIMIT ?').all(orgId, limit) as Row[]).map(toJob);
  }

  async getScenes(jobId: string): Promise<SceneRecord[]> {
    return (this.queueSql('SELECT * FROM scenes WHERE job_id = ? ORDER BY idx').all(jobId) as Row[]).map(toScene);
  }

  async getSceneByToken(token: string): Promise<SceneRecord | null> {
    const r = this.db.prepare('SELECT * FROM scenes WHERE token = ?').get(token) as Row | undefined;
    return r ? toScene(r) : null;
  }

  async claimScene(leaseMs: number, maxAttempts: number, onJobFinal?: (jobId: string) => void, fairness?: ClaimFairness): Promise<ClaimedScene | null> {
    const finals: string[] = [];
    const claimed = this.db.transaction((): ClaimedScene | null => {
      for (;;) {
        const t = Date.now();
        const r = this.nextFairScene(t, fairness);
        if (!r) return null;
        const jobId = str(r['job_id']);
        const idx = Number(r['idx']);
        if (Number(r['attempts']) >= maxAttempts) {
          const res = this.finishSceneSync(jobId, idx, interruptedOutcome(maxAttempts));
          if (res.becameFinal) finals.push(jobId);
          continue;
        }
        this.queueSql(`UPDATE scenes SET status = 'rendering', attempts = attempts + 1, lease_until = ?, updated_at = ? WHERE job_id = ? AND idx = ?`)
          .run(t + leaseMs, now(), jobId, idx);
        const org = str(r['org_id']);
        this.servedAt.set(org, ++this.serveClock);
        this.service.set(org, { pixels: this.recentService(org, t) + Number(r['pixels']), at: t });
        const scene = toScene(this.queueSql('SELECT * FROM scenes WHERE job_id = ? AND idx = ?').get(jobId, idx) as Row);
        return { job: toJob(this.queueSql('SELECT * FROM jobs WHERE id = ?').get(jobId) as Row), scene };
      }
    })();
    for (const id of finals) onJobFinal?.(id);
    return claimed;
  }

  async claimSceneAt(jobId: string, index: number, leaseMs: number, maxAttempts: number): Promise<{ claimed: ClaimedScene | null; becameFinal: boolean }> {
    return this.db.transaction((): { claimed: ClaimedScene | null; becameFinal: boolean } => {
      const r = this.queueSql(`SELECT status, attempts FROM scenes WHERE job_id = ? AND idx = ?`).get(jobId, index) as Row | undefined;
      const status = r ? (str(r['status']) as SceneStatus) : null;
      if (!r || (status !== 'pending' && status !== 'rendering')) return { claimed: null, becameFinal: false };
      if (Number(r['attempts']) >= maxAttempts) {
        const res = this.finishSceneSync(jobId, index, interruptedOutcome(maxAttempts));
        return { claimed: null, becameFinal: res.becameFinal };
      }
      this.queueSql(`UPDATE scenes SET status = 'rendering', attempts = attempts + 1, lease_until = ?, updated_at = ? WHERE job_id = ? AND idx = ?`)
        .run(Date.now() + leaseMs, now(), jobId, index);
      const scene = toScene(this.queueSql('SELECT * FROM scenes WHERE job_id = ? AND idx = ?').get(jobId, index) as Row);
      return { claimed: { job: toJob(this.queueSql('SELECT * FROM jobs WHERE id = ?').get(jobId) as Row), scene }, becameFinal: false };
    })();
  }

  /** Pixels claimed by an organisation lately, decayed to time `t`. */
  private recentService(org: string, t: number): number {
    const s = this.service.get(org);
    return s ? s.pixels * 0.5 ** (Math.max(0, t - s.at) / SERVICE_HALF_LIFE_MS) : 0;
  }

  /**
   * The next claimable scene (pending, or rendering with an expired lease), taking organisations in turn
   * (see ClaimFairness): least pixels claimed lately, then served longest ago, then oldest job. An organisation
   * at its cap is skipped. Null when nothing is claimable.
   */
  private nextFairScene(t: number, fairness: ClaimFairness | undefined): Row | null {
    const waiting = this.queueSql(
      `SELECT j.org_id AS org_id, o.plan AS plan, MIN(s.job_seq) AS seq FROM scenes s JOIN jobs j ON j.id = s.job_id JOIN orgs o ON o.id = j.org_id
       WHERE s.status = 'pending' OR (s.status = 'rendering' AND s.lease_until < ?) GROUP BY j.org_id`,
    )
    .all(t) as Row[];
    if (!waiting.length) return null;
    const rendering = new Map(
      (
        this.queueSql(`SELECT j.org_id AS org_id, COUNT(*) AS n FROM scenes s JOIN jobs j ON j.id = s.job_id WHERE s.status = 'rendering' AND s.lease_until >= ? GROUP BY j.org_id`)
          .all(t) as Row[]
      ).map((r) => [str(r['org_id']), Number(r['n'])]),
    );
    const candidates = waiting
      .map((w) => {
        const org = str(w['org_id']);
        return { org, plan: str(w['plan']) as PlanName, seq: Number(w['seq']), busy: rendering.get(org) ?? 0, served: this.recentService(org, t) };
      })
      .filter((c) => !fairness || c.busy < fairness.orgCap(c.plan))
      .sort((a, b) => a.served - b.served || (this.servedAt.get(a.org) ?? 0) - (this.servedAt.get(b.org) ?? 0) || a.seq - b.seq);
    const pick = candidates[0];
    if (!pick) return null;
    const r = this.queueSql(
      `SELECT s.job_id AS job_id, s.idx AS idx, s.attempts AS attempts, s.width * s.height AS pixels, j.org_id AS org_id FROM scenes s JOIN jobs j ON j.id = s.job_id
       WHERE j.org_id = ? AND (s.status = 'pending' OR (s.status = 'rendering' AND s.lease_until < ?)) ORDER BY s.job_seq, s.idx LIMIT 1`,
    )
    .get(pick.org, t) as Row | undefined;
    return r ?? null;
  }

  private finishSceneSync(jobId: string, index: number, o: SceneOutcome): SceneFinish {
    const t = now();
    const written =
      o.status === 'failed'
        ? this.queueSql(
            `UPDATE scenes SET status = 'failed', error_code = ?, error_status = ?, error_message = ?, updated_at = ?
             WHERE job_id = ? AND idx = ? AND status IN ('pending', 'rendering')`,
          ).run(o.errorCode, o.errorStatus, o.errorMessage, t, jobId, index)
        : this.queueSql(
            `UPDATE scenes SET status = ?, blob_key = ?, mime_type = ?, etag = ?, size = ?, warnings = ?, updated_at = ?
             WHERE job_id = ? AND idx = ? AND status IN ('pending', 'rendering')`,
          ).run(o.status, o.blobKey, o.mimeType, o.etag, o.status === 'done' ? o.size : 0, JSON.stringify(o.warnings ?? []), t, jobId, index);
    return { recorded: written.changes > 0, ...this.settleJob(jobId) };
  }

  /** Sets the job's final status once no scene is open; the whole job is read only when it became final. */
  private settleJob(jobId: string): { becameFinal: true; job: JobRecord } | { becameFinal: false } {
    const current = this.queueSql('SELECT status FROM jobs WHERE id = ?').get(jobId) as Row | undefined;
    if (!current) throw new Error(`Job ${jobId} does not exist.`);
    if (str(current['status']) !== 'IN_PROGRESS') return { becameFinal: false };
    const counts = this.queueSql('SELECT status, COUNT(*) AS n FROM scenes WHERE job_id = ? GROUP BY status').all(jobId) as Row[];
    const by = new Map(counts.map((c) => [str(c['status']), Number(c['n'])]));
    if ((by.get('pending') ?? 0) + (by.get('rendering') ?? 0) > 0) return { becameFinal: false };
    const failed = by.get('failed') ?? 0;
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    const status: JobStatus = failed === 0 ? 'COMPLETED' : 'ERROR';
    const error = failed === 0 ? null : `${failed} of ${total} scenes failed; GET each scene's url for the cause.`;
    this.queueSql('UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?').run(status, error, now(), jobId);
    return { job: toJob(this.queueSql('SELECT * FROM jobs WHERE id = ?').get(jobId) as Row), becameFinal: true };
  }

  async finishScene(jobId: string, index: number, outcome: SceneOutcome): Promise<SceneFinish> {
    return this.db.transaction(() => this.finishSceneSync(jobId, index, outcome))();
  }

  private requeueSync(jobId: string, index: number, attempts: number, maxAttempts: number): boolean {
    if (attempts >= maxAttempts) {
      return this.finishSceneSync(jobId, index, interruptedOutcome(maxAttempts)).becameFinal;
    }
    this.db.prepare(`UPDATE scenes SET status = 'pending', lease_until = 0, updated_at = ? WHERE job_id = ? AND idx = ? AND status = 'rendering'`).run(now(), jobId, index);
    return false;
  }

  async requeueOrphans(maxAttempts: number): Promise<string[]> {
    return this.db.transaction((): string[] => {
      const rows = this.db.prepare(`SELECT job_id, idx, attempts FROM scenes WHERE status = 'rendering'`).all() as Row[];
      const finals: string[] = [];
      for (const r of rows) {
        if (this.requeueSync(str(r['job_id']), Number(r['idx']), Number(r['attempts']), maxAttempts)) finals.push(str(r['job_id']));
      }
      return finals;
    })();
  }

  async requeueScene(jobId: string, index: number, maxAttempts: number): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const r = this.db.prepare(`SELECT attempts FROM scenes WHERE job_id = ? AND idx = ? AND status = 'rendering'`).get(jobId, index) as Row | undefined;
      return r ? this.requeueSync(jobId, index, Number(r['attempts']), maxAttempts) : false;
    })();
  }

  async cancelJob(jobId: string): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const job = this.db.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as Row | undefined;
      if (!job || str(job['status']) !== 'IN_PROGRESS') return false;
      this.cancelJobSync(jobId);
      return true;
    })();
  }

  private cancelJobSync(jobId: string): void {
    const t = now();
    this.db.prepare(`UPDATE scenes SET status = 'cancelled', updated_at = ? WHERE job_id = ? AND status IN ('pending', 'rendering')`).run(t, jobId);
    this.db.prepare(`UPDATE jobs SET status = 'CANCELLED', error = 'Cancelled by request.', updated_at = ? WHERE id = ?`).run(t, jobId);
  }

  async countPendingScenes(): Promise<number> {
    const r = this.db.prepare(`SELECT COUNT(*) AS n FROM scenes WHERE status IN ('pending', 'rendering')`).get() as Row;
    return Number(r['n']);
  }

  async claimableScenes(limit: number): Promise<Array<{ jobId: string; index: number; orgId: string }>> {
    const rows = this.db
      .prepare(
        `SELECT s.job_id AS job_id, s.idx AS idx, j.org_id AS org_id FROM scenes s JOIN jobs j ON j.id = s.job_id
         WHERE s.status = 'pending' OR (s.status = 'rendering' AND s.lease_until < ?) ORDER BY s.job_seq, s.idx LIMIT ?`,
      )
      .all(Date.now(), limit) as Row[];
    return rows.map((r) => ({ jobId: str(r['job_id']), index: Number(r['idx']), orgId: str(r['org_id']) }));
  }

  /** Counts one request against the org's total (inside the caller's transaction); false when `limit` is reached. */
  private countSync(orgId: string, limit: number | null): boolean {
    const res =
      limit === null
        ? this.db.prepare('UPDATE orgs SET request_count = request_count + 1 WHERE id = ?').run(orgId)
        : this.db.prepare('UPDATE orgs SET request_count = request_count + 1 WHERE id = ? AND request_count < ?').run(orgId, limit);
    return res.changes > 0;
  }

  async createBatch(batch: NewBatch, quotaLimit: number | null, quotaError: { code: string; message: string }): Promise<{ batch: BatchRecord; created: boolean }> {
    const outcome = this.db.transaction((): { id: string; created: boolean } => {
      if (batch.idempotencyKey) {
        const existing = this.db.prepare('SELECT id FROM batches WHERE org_id = ? AND idempotency_key = ?').get(batch.orgId, batch.idempotencyKey) as Row | undefined;
        if (existing) return { id: str(existing['id']), created: false };
      }
      const t = now();
      const seq = Number((this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM batches').get() as Row)['seq']);
      this.db
        .prepare(
          `INSERT INTO batches (id, org_id, status, request, webhook_url, idempotency_key, request_hash, rows_total, created_at, updated_at, seq)
           VALUES (?, ?, 'IN_PROGRESS', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(batch.id, batch.orgId, JSON.stringify(batch.request), batch.webhookUrl, batch.idempotencyKey, batch.requestHash, batch.rows.length, t, t, seq);
      const insertRow = this.db.prepare('INSERT INTO batch_rows (batch_id, idx, key, job_id, error_code, error_message) VALUES (?, ?, ?, ?, ?, ?)');
      for (const row of batch.rows) {
        let job = row.job;
        let error = row.error;
        if (job && !this.countSync(batch.orgId, quotaLimit)) {
          job = null;
          error = quotaError;
        }
        if (job) this.insertJobSync(job);
        insertRow.run(batch.id, row.index, row.key, job?.id ?? null, job ? null : (error?.code ?? 'ADS_BAD_REQUEST'), job ? null : (error?.message ?? 'The row was refused.'));
      }
      // A batch none of whose rows was accepted is final at once.
      this.settleBatchSync(batch.id);
      return { id: batch.id, created: true };
    })();
    return { batch: (await this.getBatch(outcome.id)) as BatchRecord, created: outcome.created };
  }

  async getBatch(id: string): Promise<BatchRecord | null> {
    const r = this.db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as Row | undefined;
    return r ? toBatch(r) : null;
  }

  async findBatchByIdempotencyKey(orgId: string, key: string): Promise<BatchRecord | null> {
    const r = this.db.prepare('SELECT * FROM batches WHERE org_id = ? AND idempotency_key = ?').get(orgId, key) as Row | undefined;
    return r ? toBatch(r) : null;
  }

  async listBatches(orgId: string, limit: number): Promise<BatchRecord[]> {
    return (this.db.prepare('SELECT * FROM batches WHERE org_id = ? ORDER BY seq DESC LIMIT ?').all(orgId, limit) as Row[]).map(toBatch);
  }

  async getBatchRows(batchId: string): Promise<BatchRowState[]> {
    return (
      this.db
        .prepare(
          `SELECT r.idx, r.key, r.job_id, r.error_code, r.error_message, j.status AS job_status, j.error AS job_error, j.updated_at AS job_updated_at,
             (SELECT COUNT(*) FROM scenes s WHERE s.job_id = r.job_id) AS scenes_total,
             (SELECT COUNT(*) FROM scenes s WHERE s.job_id = r.job_id AND s.status IN ('done', 'moderated', 'failed', 'cancelled')) AS scenes_final,
             (SELECT COUNT(*) FROM scenes s WHERE s.job_id = r.job_id AND s.status != 'pending') AS scenes_started,
             (SELECT s.error_code FROM scenes s WHERE s.job_id = r.job_id AND s.status = 'failed' ORDER BY s.idx LIMIT 1) AS scene_error_code,
             (SELECT s.error_message FROM scenes s WHERE s.job_id = r.job_id AND s.status = 'failed' ORDER BY s.idx LIMIT 1) AS scene_error_message
           FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = ? ORDER BY r.idx`,
        )
        .all(batchId) as Row[]
    ).map(toBatchRow);
  }

  async getBatchScenes(batchId: string): Promise<Map<string, SceneRecord[]>> {
    const rows = this.db
      .prepare('SELECT s.* FROM batch_rows r JOIN scenes s ON s.job_id = r.job_id WHERE r.batch_id = ? ORDER BY r.idx, s.idx')
      .all(batchId) as Row[];
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
    const r = this.db.prepare('SELECT batch_id FROM batch_rows WHERE job_id = ?').get(jobId) as Row | undefined;
    return r ? str(r['batch_id']) : null;
  }

  private settleBatchSync(batchId: string): { batch: BatchRecord; becameFinal: boolean } | null {
    const r = this.db.prepare('SELECT * FROM batches WHERE id = ?').get(batchId) as Row | undefined;
    if (!r) return null;
    const batch = toBatch(r);
    if (batch.status !== 'IN_PROGRESS') return { batch, becameFinal: false };
    const c = this.db
      .prepare(
        `SELECT COUNT(*) AS total, COALESCE(SUM(j.status = 'IN_PROGRESS'), 0) AS open, COALESCE(SUM(r.job_id IS NULL OR j.status = 'ERROR'), 0) AS failed
         FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = ?`,
      )
      .get(batchId) as Row;
    if (Number(c['open']) > 0) return { batch, becameFinal: false };
    const status: JobStatus = Number(c['failed']) === Number(c['total']) ? 'ERROR' : 'COMPLETED';
    this.db.prepare(`UPDATE batches SET status = ?, updated_at = ? WHERE id = ? AND status = 'IN_PROGRESS'`).run(status, now(), batchId);
    return { batch: toBatch(this.db.prepare('SELECT * FROM batches WHERE id = ?').get(batchId) as Row), becameFinal: true };
  }

  async settleBatch(batchId: string): Promise<{ batch: BatchRecord; becameFinal: boolean } | null> {
    return this.db.transaction(() => this.settleBatchSync(batchId))();
  }

  async cancelBatch(batchId: string): Promise<{ batch: BatchRecord; cancelledJobs: string[] } | null> {
    return this.db.transaction((): { batch: BatchRecord; cancelledJobs: string[] } | null => {
      const b = this.db.prepare('SELECT status FROM batches WHERE id = ?').get(batchId) as Row | undefined;
      if (!b || str(b['status']) !== 'IN_PROGRESS') return null;
      const open = (
        this.db.prepare(`SELECT r.job_id FROM batch_rows r JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = ? AND j.status = 'IN_PROGRESS'`).all(batchId) as Row[]
      ).map((x) => str(x['job_id']));
      for (const jobId of open) this.cancelJobSync(jobId);
      this.db.prepare(`UPDATE batches SET status = 'CANCELLED', updated_at = ? WHERE id = ?`).run(now(), batchId);
      return { batch: toBatch(this.db.prepare('SELECT * FROM batches WHERE id = ?').get(batchId) as Row), cancelledJobs: open };
    })();
  }

  async openBatches(limit: number): Promise<BatchRecord[]> {
    return (this.db.prepare(`SELECT * FROM batches WHERE status = 'IN_PROGRESS' ORDER BY seq LIMIT ?`).all(limit) as Row[]).map(toBatch);
  }

  async batchesMissingDelivery(limit: number): Promise<BatchRecord[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM batches WHERE webhook_url IS NOT NULL AND status != 'IN_PROGRESS'
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = batches.id) ORDER BY seq LIMIT ?`,
        )
        .all(limit) as Row[]
    ).map(toBatch);
  }

  async createTask(
    job: NewJob,
    task: Pick<TaskRecord, 'app' | 'webhookUrl'>,
    quotaLimit: number | null,
  ): Promise<{ job: JobRecord; task: TaskRecord } | { job: null; quotaExceeded: true }> {
    const created = this.db.transaction((): boolean => {
      if (!this.countSync(job.orgId, quotaLimit)) return false;
      this.insertJobSync(job);
      this.db.prepare('INSERT INTO tasks (job_id, org_id, app, webhook_url, created_at) VALUES (?, ?, ?, ?, ?)').run(job.id, job.orgId, task.app, task.webhookUrl, now());
      return true;
    })();
    if (!created) return { job: null, quotaExceeded: true };
    return { job: (await this.getJob(job.id)) as JobRecord, task: (await this.getTask(job.id)) as TaskRecord };
  }

  async getTask(jobId: string): Promise<TaskRecord | null> {
    const r = this.db.prepare('SELECT * FROM tasks WHERE job_id = ?').get(jobId) as Row | undefined;
    return r ? toTask(r) : null;
  }

  async tasksMissingDelivery(limit: number): Promise<Array<{ job: JobRecord; task: TaskRecord }>> {
    const rows = this.db
      .prepare(
        `SELECT t.* FROM tasks t JOIN jobs j ON j.id = t.job_id
         WHERE t.webhook_url IS NOT NULL AND j.status != 'IN_PROGRESS'
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = t.job_id) ORDER BY j.seq LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map((r) => ({ job: toJob(this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(str(r['job_id'])) as Row), task: toTask(r) }));
  }

  async addSceneRevisions(revisions: NewSceneRevision[]): Promise<{ ok: true; revisions: SceneRevision[] } | { ok: false; index: number; latest: number }> {
    const latestOf = this.db.prepare('SELECT COALESCE(MAX(revision), 0) AS latest FROM scene_revisions WHERE job_id = ? AND idx = ?');
    const insert = this.db.prepare(
      `INSERT INTO scene_revisions (job_id, idx, revision, scene_doc, elements, blob_key, file, mime_type, etag, size, width, height, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // IMMEDIATE: the write lock is taken before the latest revision is read, so a second writer waits and then sees it.
    // A conflict throws so that the rows already inserted for other scenes roll back with it.
    class Conflict {
      constructor(readonly index: number, readonly latest: number) {}
    }
    try {
      this.db
        .transaction(() => {
          const t = now();
          for (const r of revisions) {
            const latest = Number((latestOf.get(r.jobId, r.index) as Row)['latest']);
            if (r.revision !== latest + 1) throw new Conflict(r.index, latest);
            insert.run(r.jobId, r.index, r.revision, JSON.stringify(r.sceneDoc), JSON.stringify(r.elements), r.blobKey, r.file, r.mimeType, r.etag, r.size, r.width, r.height, t);
          }
        })
        .immediate();
    } catch (err) {
      if (err instanceof Conflict) return { ok: false, index: err.index, latest: err.latest };
      throw err;
    }
    const get = this.db.prepare('SELECT * FROM scene_revisions WHERE job_id = ? AND idx = ? AND revision = ?');
    return { ok: true, revisions: revisions.map((r) => toRevision(get.get(r.jobId, r.index, r.revision) as Row)) };
  }

  async listSceneRevisions(jobId: string, index?: number): Promise<SceneRevision[]> {
    const rows =
      index === undefined
        ? this.db.prepare('SELECT * FROM scene_revisions WHERE job_id = ? ORDER BY idx, revision').all(jobId)
        : this.db.prepare('SELECT * FROM scene_revisions WHERE job_id = ? AND idx = ? ORDER BY revision').all(jobId, index);
    return (rows as Row[]).map(toRevision);
  }

  async latestSceneRevision(jobId: string, index: number): Promise<SceneRevision | null> {
    const r = this.db.prepare('SELECT * FROM scene_revisions WHERE job_id = ? AND idx = ? ORDER BY revision DESC LIMIT 1').get(jobId, index) as Row | undefined;
    return r ? toRevision(r) : null;
  }

  async getSceneRevisionByFile(file: string): Promise<SceneRevision | null> {
    const r = this.db.prepare('SELECT * FROM scene_revisions WHERE file = ?').get(file) as Row | undefined;
    return r ? toRevision(r) : null;
  }

  async addDelivery(d: Pick<WebhookDelivery, 'id' | 'orgId' | 'jobId' | 'url' | 'payload' | 'nextAttemptAt'>): Promise<void> {
    const t = now();
    this.db
      .prepare(
        `INSERT INTO webhook_deliveries (id, org_id, job_id, url, payload, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      )
      .run(d.id, d.orgId, d.jobId, d.url, d.payload, d.nextAttemptAt, t, t);
  }

  async dueDeliveries(nowMs: number, limit: number): Promise<WebhookDelivery[]> {
    return (
      this.db
        .prepare(`SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`)
        .all(nowMs, limit) as Row[]
    ).map(toDelivery);
  }

  async updateDelivery(
    id: string,
    c: Pick<WebhookDelivery, 'status' | 'attempts' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError'>,
  ): Promise<void> {
    this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?, updated_at = ? WHERE id = ?`,
      )
      .run(c.status, c.attempts, c.nextAttemptAt, c.lastStatusCode, c.lastError, now(), id);
  }

  async getDelivery(id: string): Promise<WebhookDelivery | null> {
    const r = this.db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as Row | undefined;
    return r ? toDelivery(r) : null;
  }

  async jobsMissingDelivery(limit: number): Promise<JobRecord[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM jobs WHERE webhook_url IS NOT NULL AND status != 'IN_PROGRESS'
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = jobs.id) ORDER BY seq LIMIT ?`,
        )
        .all(limit) as Row[]
    ).map(toJob);
  }

  async listDeliveries(orgId: string, limit: number): Promise<WebhookDelivery[]> {
    return (this.db.prepare('SELECT * FROM webhook_deliveries WHERE org_id = ? ORDER BY created_at DESC LIMIT ?').all(orgId, limit) as Row[]).map(toDelivery);
  }
}
