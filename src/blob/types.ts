import type { BlobStoreDescriptor } from './descriptor.js';

/**
 * Where images live: rendered scenes, uploaded files. Keys are slash-separated
 * relative paths (`results/<job>/<scene>.png`). The fs adapter is the embedded
 * default; the S3 adapter (src/blob/s3.ts) implements the same four calls.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** null when absent. */
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * Plain data from which a worker thread opens this same store (openBlobStore in src/blob/descriptor.ts),
   * so the threads and the main thread always share one store. It may hold credentials: never log it.
   */
  describe(): BlobStoreDescriptor;
  /** Start-up check that the store is reachable and usable; throws an error naming what is not. */
  check?(): Promise<void>;
  /**
   * Removes what writes cut short by a killed process left behind, when the store can have any (the fs
   * store's temp files; an S3 PutObject is atomic). Only what was written before `before`. Returns the count.
   */
  removeStaleTemps?(before: Date): Promise<number>;
}

/** A key is safe when it cannot escape the store's root: no `..`, no absolute paths, no backslashes. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.\-/]*$/.test(key) || key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
  }
}
