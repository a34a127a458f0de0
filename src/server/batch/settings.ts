export interface BatchSettings {
  /** Most rows one batch may hold (ADSMITH_BATCH_MAX_ROWS, default 1000). */
  maxRows: number;
  /** Largest batch body in bytes (ADSMITH_BATCH_BODY_LIMIT, default 8 MiB; never below the generate body limit). */
  bodyLimit: number;
  /** Rows whose inputs are checked at the same time while a batch is accepted. */
  concurrency: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Batch settings from the ADSMITH_BATCH_* variables; called by loadConfig (config.ts), which reads the environment. */
export function loadBatchSettings(env: NodeJS.ProcessEnv): BatchSettings {
  return {
    maxRows: positiveInt(env, 'ADSMITH_BATCH_MAX_ROWS', 1000),
    bodyLimit: positiveInt(env, 'ADSMITH_BATCH_BODY_LIMIT', 8 * 1024 * 1024),
    concurrency: positiveInt(env, 'ADSMITH_BATCH_CONCURRENCY', 8),
  };
}
