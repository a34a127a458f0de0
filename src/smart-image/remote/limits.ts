/** Limits shared by every remote provider (timeouts, retries, result size); the factory reads them from ADSMITH_SMART_IMAGE_*. */
export interface RemoteLimits {
  /** One HTTP attempt may take this long (ADSMITH_SMART_IMAGE_TIMEOUT_MS, default 30 000). */
  timeoutMs: number;
  /** Retries after a 429 / 5xx / network error (ADSMITH_SMART_IMAGE_RETRIES, default 2). */
  retries: number;
  /** First backoff delay; doubled each retry, with jitter (ADSMITH_SMART_IMAGE_BACKOFF_MS, default 500). */
  backoffMs: number;
  /** Everything for one operation, polling included, within this (ADSMITH_SMART_IMAGE_MAX_TOTAL_MS, default 90 000). */
  maxTotalMs: number;
  /** Largest result image downloaded from a provider URL (ADSMITH_SMART_IMAGE_MAX_RESULT_BYTES, default 25 MiB). */
  maxResultBytes: number;
  /** Let result-image URLs from a provider's answer be loopback (tests, a local proxy). Never on by default. */
  allowLoopback: boolean;
  /** After a timeout/network/auth failure, skip the provider this long (ADSMITH_SMART_IMAGE_COOLDOWN_MS, default 60 000; 0 = never skip). */
  cooldownMs: number;
}

export const DEFAULT_REMOTE_LIMITS: RemoteLimits = {
  timeoutMs: 30_000,
  retries: 2,
  backoffMs: 500,
  maxTotalMs: 90_000,
  maxResultBytes: 25 * 1024 * 1024,
  allowLoopback: false,
  cooldownMs: 60_000,
};
