import { FsBlobStore } from './fs.js';
import { assertSafeKey, type BlobStore } from './types.js';

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

/**
 * Opens the store a descriptor names. The S3 adapter is imported only when asked for: the SDK costs about
 * 90 ms and 20 MB of RSS to load (measured on Node 20), which every fs-only render thread would otherwise pay.
 */
export async function openBlobStore(desc: BlobStoreDescriptor): Promise<BlobStore> {
  switch (desc.kind) {
    case 'fs':
      if (!desc.root) throw new Error('fs blob store: root is required (a directory path)');
      return new FsBlobStore(desc.root);
    case 's3': {
      const { S3BlobStore } = await import('./s3.js');
      return new S3BlobStore(desc);
    }
    default:
      throw new Error(`unknown blob store kind ${JSON.stringify((desc as { kind?: unknown }).kind)}: use "fs" or "s3"`);
  }
}

/** The object key of a blob in an S3 store: the key under the descriptor's prefix (slashes around it ignored). */
export function s3ObjectKey(desc: S3BlobStoreDescriptor, key: string): string {
  assertSafeKey(key);
  const prefix = (desc.prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (!prefix) return key;
  try {
    assertSafeKey(prefix);
  } catch {
    throw new Error(`S3 blob store: the prefix ${JSON.stringify(desc.prefix)} is not a safe key path (letters, digits, "_", ".", "-", segments joined by "/", no ".." or empty segment)`);
  }
  return `${prefix}/${key}`;
}
