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

/** The embedded default: files under one directory. */
export interface FsBlobStoreDescriptor {
  kind: 'fs';
  root: string;
}

/** An S3-compatible bucket (AWS S3, MinIO, Ceph, R2, …). */
export interface S3BlobStoreDescriptor {
  kind: 's3';
  /** Of an S3-compatible server (`http://minio:9000`); absent for AWS S3 itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Every key is stored under `<prefix>/`, so several deployments can share one bucket. */
  prefix?: string;
  /** Both or neither; without them the SDK's default chain applies (AWS_* variables, instance roles). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `<endpoint>/<bucket>/<key>` addressing; the default when an endpoint is given (most S3-compatible servers need it). */
  forcePathStyle?: boolean;
  /** Where the bucket's root is publicly readable (a CDN); see publicUrlOf in src/blob/public-url.ts. */
  publicUrl?: string;
}

/**
 * Which blob store, as plain data: worker threads are given this (structured clone) and open the same
 * store, so an S3 store is used by every thread or by none. It may carry a secret key: never log it.
 */
export type BlobStoreDescriptor = FsBlobStoreDescriptor | S3BlobStoreDescriptor;
