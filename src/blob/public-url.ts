import { s3ObjectKey, type BlobStoreDescriptor } from './descriptor.js';

/**
 * Where a blob can be fetched without the API (ADSMITH_S3_PUBLIC_URL: the URL that serves the bucket's root,
 * the bucket itself or a CDN in front of it), or null when the store has no public address (fs, or S3
 * without a public URL).
 *
 * The API keeps handing out its own result URLs (unguessable tokens, 202 while rendering); once a scene is
 * done, its result URL answers a 302 to this address, so the image bytes come from the bucket or the CDN
 * (src/server/jobs/routes.ts). Only `results/` needs to be publicly readable; listing must stay private.
 */
export function publicUrlOf(desc: BlobStoreDescriptor, key: string): string | null {
  if (desc.kind !== 's3' || !desc.publicUrl) return null;
  const path = s3ObjectKey(desc, key).split('/').map(encodeURIComponent).join('/');
  return `${desc.publicUrl.replace(/\/+$/, '')}/${path}`;
}
