import { resultBlobKey } from '../blob/keys.js';
import type { BlobStore } from '../blob/types.js';
import { sha256Hex } from '../common/ids.js';

/**
 * How a rendered scene is kept: its blob key (the extension follows the MIME type) and its ETag (a hash of
 * the stored bytes). The render thread stores its own result (src/jobs/render-worker.ts) so that hashing and
 * writing a megabyte per scene never takes the main thread's time; the queue does it only for the cases the
 * thread cannot (output moderation decides what is stored, or a blob store the threads cannot write).
 */
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export interface StoredResult {
  blobKey: string;
  etag: string;
  size: number;
}

export function resultEtag(bytes: Uint8Array): string {
  return `"${sha256Hex(bytes).slice(0, 32)}"`;
}

/** Writes a scene's bytes where the job's results live and answers what the scene record needs. */
export async function storeResult(blob: BlobStore, jobId: string, index: number, bytes: Uint8Array, mimeType: string): Promise<StoredResult> {
  const blobKey = resultBlobKey(jobId, index, EXTENSIONS[mimeType] ?? 'bin');
  await blob.put(blobKey, bytes, mimeType);
  return { blobKey, etag: resultEtag(bytes), size: bytes.byteLength };
}
