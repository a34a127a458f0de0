/**
 * The metadata store: organisations, tokens, private templates and brands (with
 * versions), uploaded files, jobs with their scenes, webhook deliveries.
 *
 * Every method is async so that a PostgreSQL adapter (one round trip per call,
 * transactions inside the adapter) fits behind the same interface as the
 * embedded SQLite one. Multi-row changes are one method each, so an adapter can
 * make them atomic: nothing is ever half-written.
 */

export type PlanName = 'free' | 'pro' | 'unlimited';

export interface Org {
  id: string;
  name: string;
  plan: PlanName;
  /** Standard Webhooks secret, `whsec_` + base64. */
  webhookSecret: string;
  /** Generate requests accepted so far (what the free plan's total quota counts). */
  requestCount: number;
  createdAt: string;
}

export interface TokenRecord {
  id: string;
  orgId: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export type AssetKind = 'template' | 'brand';

export interface AssetRecord {
  /** Integer id (the contract lists ids as integers); private ids start at 10000, never colliding with public ones. */
  id: number;
  orgId: string;
  kind: AssetKind;
  name: string;
  description: string;
  version: number;
  /** The validated document of `version`. */
  document: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface FileRecord {
  /** ≥128-bit random id; also the capability in the file's URL. */
  id: string;
  orgId: string;
  filename: string;
  mimeType: string;
  size: number;
  blobKey: string;
  createdAt: string;
}

export type JobStatus = 'IN_PROGRESS' | 'COMPLETED' | 'ERROR' | 'CANCELLED';
export type SceneStatus = 'pending' | 'rendering' | 'done' | 'moderated' | 'failed' | 'cancelled';
export const FINAL_SCENE_STATUSES: readonly SceneStatus[] = ['done', 'moderated', 'failed', 'cancelled'];

export interface SceneRecord {
  jobId: string;
  index: number;
  /** Capability token in the result URL (≥128 random bits). */
  token: string;
  key: string;
  name: string;
  width: number;
  height: number;
  format: string;
  status: SceneStatus;
  attempts: number;
  blobKey: string | null;
  mimeType: string | null;
  etag: string | null;
  size: number | null;
  errorCode: string | null;
  errorStatus: number | null;
  errorMessage: string | null;
  /** Notes from rendering (a font fell back, an input was not used, …). */
  warnings: string[];
  updatedAt: string;
}

export interface JobRecord {
  id: string;
  orgId: string;
  status: JobStatus;
  /** The request as accepted (validated body), kept for the editor page and replays. */
  request: unknown;
  /** Snapshots: a job keeps the exact template and brand versions it was accepted with. */
  template: unknown;
  brand: unknown;
  templateRef: { kind: 'public' | 'private'; id: string; version: number };
  brandRef: { kind: 'public' | 'private'; id: string; version: number } | null;
  output: { format: 'png' | 'jpeg' | 'webp'; scale: 1 | 2; maxKb?: number };
  webhookUrl: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /**
   * The id of the HTTP request that created the job (Fastify's request id, or the caller's `x-request-id`), so
   * the scene logs of whatever worker renders it can be matched with the API's request log. Not the contract's
   * `request_id`, which is the job id.
   */
  requestId: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob extends Omit<JobRecord, 'status' | 'error' | 'createdAt' | 'updatedAt' | 'requestId'> {
  /** Absent or null: created outside an HTTP request (the admin CLI, tests). */
  requestId?: string | null;
  scenes: Array<Pick<SceneRecord, 'index' | 'token' | 'key' | 'name' | 'width' | 'height' | 'format'>>;
}

export type SceneOutcome =
  | { status: 'done'; blobKey: string; mimeType: string; etag: string; size: number; warnings?: string[] }
  | { status: 'moderated'; blobKey: string; mimeType: string; etag: string; warnings?: string[] }
  | { status: 'failed'; errorCode: string; errorStatus: number; errorMessage: string };

/** What finishScene did (see MetadataStore.finishScene). */
export type SceneFinish = { recorded: boolean } & ({ becameFinal: true; job: JobRecord } | { becameFinal: false; job?: undefined });

/** The outcome of a scene given up after maxAttempts interrupted renders (claimScene, claimSceneAt, requeueScene, requeueOrphans). */
export function interruptedOutcome(maxAttempts: number): SceneOutcome {
  return {
    status: 'failed',
    errorCode: 'ADS_RENDER_INTERRUPTED',
    errorStatus: 500,
    errorMessage: `Rendering stopped ${maxAttempts} times on this scene (the worker crashed or the process was killed); giving up.`,
  };
}

/**
 * How claimScene shares render threads between organisations (issue 9: four
 * heavy jobs of one organisation held another's 0.5 s job for 108 s behind a
 * first-in-first-out queue). Organisations are served in turn, by cost: the one
 * given the fewest pixels lately first (a count that halves every 20 s, so a
 * heavy organisation waiting is never starved), then the one served longest
 * ago, then the oldest job; within an organisation, its jobs in order. A light
 * organisation arriving behind a heavy one thus takes every thread that frees
 * until it has had its share.
 */
export interface ClaimFairness {
  /** Most scenes an organisation on this plan may have rendering at once (Infinity: no cap). */
  orgCap(plan: PlanName): number;
}

export interface ClaimedScene {
  job: JobRecord;
  scene: SceneRecord;
}

/** A batch: many generate requests (rows) sharing template, brand and options; each accepted row is one job. */
export interface BatchRecord {
  id: string;
  orgId: string;
  status: JobStatus;
  /** The shared fields as accepted (template_id, brand_id, options, defaults); rows live in `batch_rows`. */
  request: unknown;
  webhookUrl: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  rowsTotal: number;
  createdAt: string;
  updatedAt: string;
}

/** A row as submitted: a prepared job, or the reason it was refused. */
export interface NewBatchRow {
  index: number;
  key: string | null;
  job: NewJob | null;
  error: { code: string; message: string } | null;
}

export interface NewBatch extends Omit<BatchRecord, 'status' | 'rowsTotal' | 'createdAt' | 'updatedAt'> {
  rows: NewBatchRow[];
}

/** One row with what its job has come to. `jobId` null: refused at acceptance (see error). */
export interface BatchRowState {
  index: number;
  key: string | null;
  jobId: string | null;
  jobStatus: JobStatus | null;
  /** The row's own error (refused at acceptance), else the first failed scene's. */
  errorCode: string | null;
  errorMessage: string | null;
  /** The job's summary error (e.g. "2 of 8 scenes failed"). */
  jobError: string | null;
  scenesTotal: number;
  /** Scenes in a final state (done, moderated, failed, cancelled). */
  scenesFinal: number;
  /** Scenes a worker has taken (rendering or final). */
  scenesStarted: number;
  updatedAt: string | null;
}

/** A job started through the hosted-app protocol (POST /apps/run): the job plus what the protocol adds. */
export interface TaskRecord {
  jobId: string;
  orgId: string;
  /** The app as the caller named it, version suffix dropped (e.g. `bria/ads-generate`). */
  app: string;
  /** Where the task's terminal state is POSTed (the protocol's `webhook`). */
  webhookUrl: string | null;
  createdAt: string;
}

/**
 * A saved edit of one scene (the editor's Save): the scene document and inputs it was drawn from, and its own
 * image, served under its own unguessable result URL. Revisions of a scene count 1, 2, 3…; the job's original
 * render is revision 0 and is never replaced.
 */
export interface SceneRevision {
  jobId: string;
  index: number;
  revision: number;
  /** The scene as edited (a template scene: name, size, background, elements). */
  sceneDoc: unknown;
  /** The element overrides (the job's inputs as edited) it was rendered with. */
  elements: unknown[];
  blobKey: string;
  /** The result URL's file name, `<capability>.<ext>` (≥128 random bits before the dot). */
  file: string;
  mimeType: string;
  etag: string;
  size: number;
  width: number;
  height: number;
  createdAt: string;
}

export type NewSceneRevision = Omit<SceneRevision, 'createdAt'>;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  orgId: string;
  jobId: string;
  url: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MetadataStore {
  /** Applies pending migrations. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Settings (server-wide secrets such as the editor-link key)
  getSetting(key: string): Promise<string | null>;
  /** Sets the value only when the key is absent; returns the value in force. */
  initSetting(key: string, value: string): Promise<string>;

  // Organisations and tokens
  createOrg(org: Pick<Org, 'id' | 'name' | 'plan' | 'webhookSecret'>): Promise<Org>;
  getOrg(id: string): Promise<Org | null>;
  listOrgs(): Promise<Org[]>;
  setOrgPlan(id: string, plan: PlanName): Promise<void>;
  addToken(token: { id: string; orgId: string; hash: string; label: string }): Promise<TokenRecord>;
  findOrgByTokenHash(hash: string): Promise<Org | null>;
  revokeToken(idOrHash: string): Promise<boolean>;
  listTokens(orgId: string): Promise<TokenRecord[]>;
  /**
   * Counts one generate request against the org's total; refuses (returns false,
   * counts nothing) when `limit` is set and already reached.
   */
  countRequest(orgId: string, limit: number | null): Promise<boolean>;

  // Private templates and brands (a document object gets `id` set to the asset's id)
  createAsset(orgId: string, kind: AssetKind, doc: { name: string; description: string; document: unknown }): Promise<AssetRecord>;
  updateAsset(orgId: string, kind: AssetKind, id: number, doc: { name: string; description: string; document: unknown }): Promise<AssetRecord | null>;
  getAsset(orgId: string, kind: AssetKind, id: number, version?: number): Promise<AssetRecord | null>;
  listAssets(orgId: string, kind: AssetKind): Promise<AssetRecord[]>;
  listAssetVersions(orgId: string, kind: AssetKind, id: number): Promise<Array<{ version: number; createdAt: string }>>;
  deleteAsset(orgId: string, kind: AssetKind, id: number): Promise<boolean>;

  // Uploaded files
  addFile(file: FileRecord): Promise<void>;
  getFile(id: string): Promise<FileRecord | null>;
  listFiles(orgId: string): Promise<FileRecord[]>;
  deleteFile(orgId: string, id: string): Promise<FileRecord | null>;

  // Jobs and scenes
  /**
   * Inserts a job and all its scenes atomically, counting one request against the org's total (refused, with
   * nothing written, when `quotaLimit` is reached). With an idempotency key the org already used, inserts and
   * counts nothing and returns the existing job.
   */
  createJob(job: NewJob, quotaLimit: number | null): Promise<{ job: JobRecord; created: true } | { job: JobRecord; created: false } | { job: null; created: false; quotaExceeded: true }>;
  getJob(id: string): Promise<JobRecord | null>;
  findJobByIdempotencyKey(orgId: string, key: string): Promise<JobRecord | null>;
  listJobs(orgId: string, limit: number): Promise<JobRecord[]>;
  getScenes(jobId: string): Promise<SceneRecord[]>;
  getSceneByToken(token: string): Promise<SceneRecord | null>;
  /**
   * Atomically takes the oldest pending scene (or one whose lease expired) and marks it rendering. A scene whose
   * lease expired maxAttempts times is failed instead and the next one taken; `onJobFinal` hears of jobs that
   * became final that way (after the change is committed).
   */
  claimScene(leaseMs: number, maxAttempts: number, onJobFinal?: (jobId: string) => void, fairness?: ClaimFairness): Promise<ClaimedScene | null>;
  /**
   * Atomically takes one given scene, for a queue that hands out scenes itself (BullMQ: one queue job per scene,
   * whose lock makes one worker its holder at a time). The scene is taken when it is `pending`, or `rendering`
   * whatever its lease (the queue gave it out again because its holder stopped): it becomes `rendering` with a
   * new lease and one more attempt. A scene that already used maxAttempts is failed instead
   * (ADS_RENDER_INTERRUPTED, as claimScene does). `claimed` is null when the scene does not exist, is already
   * final (done, failed, cancelled…), or was failed just now; `becameFinal` is true when that failure made the
   * job final.
   */
  claimSceneAt(jobId: string, index: number, leaseMs: number, maxAttempts: number): Promise<{ claimed: ClaimedScene | null; becameFinal: boolean }>;
  /**
   * Records a scene's outcome; when it was the job's last open scene, sets the job's final status. `recorded`: this
   * outcome was written (false when the scene was already final, e.g. cancelled); `job`, the job after the change,
   * only when it became final (reading the whole job on every scene cost a row of JSON per scene).
   */
  finishScene(jobId: string, index: number, outcome: SceneOutcome): Promise<SceneFinish>;
  /**
   * Puts every scene left `rendering` back to `pending` (or fails it once it used maxAttempts). For the embedded
   * deployment at start-up, when no other process can be rendering; scale-out relies on `claimScene`'s lease expiry instead.
   * Returns job ids that became final.
   */
  requeueOrphans(maxAttempts: number): Promise<string[]>;
  /** Puts one `rendering` scene back to `pending` (its worker died), or fails it once it used maxAttempts. True when the job became final. */
  requeueScene(jobId: string, index: number, maxAttempts: number): Promise<boolean>;
  /** Cancels every scene not yet final; the job becomes CANCELLED. Returns false when the job was already final. */
  cancelJob(jobId: string): Promise<boolean>;
  countPendingScenes(): Promise<number>;
  /**
   * Scenes some worker should be given: `pending`, or `rendering` with an expired lease (its holder stopped),
   * oldest job first, at most `limit`. For a queue that keeps scenes outside the store (BullMQ), to hand out again
   * what it lost (a Redis restart without persistence).
   */
  claimableScenes(limit: number): Promise<Array<{ jobId: string; index: number; orgId: string }>>;

  // Batches (rows are jobs; a batch's status becomes final once every row is)
  /**
   * Inserts the batch, its rows and the jobs (with scenes) of its accepted rows atomically. Each job counts one
   * request against the org's total; rows past `quotaLimit` are stored refused with `quotaError` and no job. With
   * an idempotency key the org already used for a batch, writes nothing and returns that batch.
   */
  createBatch(batch: NewBatch, quotaLimit: number | null, quotaError: { code: string; message: string }): Promise<{ batch: BatchRecord; created: boolean }>;
  getBatch(id: string): Promise<BatchRecord | null>;
  findBatchByIdempotencyKey(orgId: string, key: string): Promise<BatchRecord | null>;
  listBatches(orgId: string, limit: number): Promise<BatchRecord[]>;
  getBatchRows(batchId: string): Promise<BatchRowState[]>;
  /** Every scene of every job of the batch, by job id (one round trip for a whole status page). */
  getBatchScenes(batchId: string): Promise<Map<string, SceneRecord[]>>;
  /** The batch a job belongs to, if any. */
  findBatchOfJob(jobId: string): Promise<string | null>;
  /** Sets a batch's final status once every row is final: COMPLETED, or ERROR when every row failed. */
  settleBatch(batchId: string): Promise<{ batch: BatchRecord; becameFinal: boolean } | null>;
  /** Cancels every job of the batch not yet final and the batch itself; null when the batch was already final. */
  cancelBatch(batchId: string): Promise<{ batch: BatchRecord; cancelledJobs: string[] } | null>;
  /** Batches still IN_PROGRESS (for settling at start-up what finished while no process watched). */
  openBatches(limit: number): Promise<BatchRecord[]>;
  /** Final batches with a webhook_url but no delivery yet (the process died between the two writes). */
  batchesMissingDelivery(limit: number): Promise<BatchRecord[]>;

  // Hosted-app tasks (each is a job; task id = job id)
  /** Inserts the job (as createJob does, quota included) and its task record in one transaction. */
  createTask(job: NewJob, task: Pick<TaskRecord, 'app' | 'webhookUrl'>, quotaLimit: number | null): Promise<{ job: JobRecord; task: TaskRecord } | { job: null; quotaExceeded: true }>;
  getTask(jobId: string): Promise<TaskRecord | null>;
  /** Final task jobs with a webhook but no delivery yet (the process died between the two writes). */
  tasksMissingDelivery(limit: number): Promise<Array<{ job: JobRecord; task: TaskRecord }>>;

  // Scene revisions (editor saves)
  /**
   * Inserts revisions atomically, all or none. Each `revision` must be exactly one more than the latest stored
   * revision of its scene (0 when none): otherwise nothing is written and the first conflicting scene is returned
   * with its latest revision, so that two saves based on the same revision never both succeed.
   */
  addSceneRevisions(revisions: NewSceneRevision[]): Promise<{ ok: true; revisions: SceneRevision[] } | { ok: false; index: number; latest: number }>;
  /** The revisions of a job's scenes, oldest first; of one scene when `index` is given. */
  listSceneRevisions(jobId: string, index?: number): Promise<SceneRevision[]>;
  /** The latest revision of a scene, or null when it was never edited. */
  latestSceneRevision(jobId: string, index: number): Promise<SceneRevision | null>;
  /** The revision whose result URL ends in `file`. */
  getSceneRevisionByFile(file: string): Promise<SceneRevision | null>;

  // Webhook deliveries (persisted so retries survive restarts)
  addDelivery(d: Pick<WebhookDelivery, 'id' | 'orgId' | 'jobId' | 'url' | 'payload' | 'nextAttemptAt'>): Promise<void>;
  dueDeliveries(now: number, limit: number): Promise<WebhookDelivery[]>;
  updateDelivery(
    id: string,
    change: Pick<WebhookDelivery, 'status' | 'attempts' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError'>,
  ): Promise<void>;
  getDelivery(id: string): Promise<WebhookDelivery | null>;
  /** Final jobs with a webhook_url but no delivery yet (the process died between the two writes). */
  jobsMissingDelivery(limit: number): Promise<JobRecord[]>;
  listDeliveries(orgId: string, limit: number): Promise<WebhookDelivery[]>;
}
