import type { BlobStore } from '../blob/types.js';
import { fetchImage, FetchRefused } from '../net/fetch.js';
import { FILE_ID, fileReference, refuseFileUrls } from '../net/file-url.js';
import type { RemoteFetcher } from '../node/types.js';

/** The refusal when a URL names another organisation's file (the render-time side of the ownership rule). */
export const OTHER_ORG_FILE = 'is a file uploaded by another organisation: upload it with this token (POST /v1/files) and use that URL';

export interface FetcherOptions {
  publicUrl: string;
  allowPrivateUrls: boolean;
  blob: BlobStore;
  fileKey: (id: string) => string;
  /** Whether the current render may read uploaded file `id` (it belongs to the job's organisation: src/jobs/file-access.ts). */
  mayRead: (id: string) => boolean | Promise<boolean>;
  /** Blob key of the copy of `url` saved when the current job was accepted, if any. */
  inputKey?: (url: string) => string | null;
}

/**
 * What a source is with respect to uploaded files: `read` (a file this render may read: its id), `none` (names no
 * file of this server); throws FetchRefused for a file of another organisation, or this server's host naming no file.
 */
async function fileAccess(url: string, opts: Pick<FetcherOptions, 'publicUrl' | 'mayRead' | 'blob' | 'fileKey'>): Promise<{ read: string } | 'none'> {
  const ref = fileReference(url, { publicUrl: opts.publicUrl });
  if (!ref) return 'none';
  const known = FILE_ID.test(ref.id);
  if (known && (await opts.mayRead(ref.id))) return { read: ref.id };
  // Not this organisation's: another one's file (refused however it is spelled), or not a file at all.
  if (known && (await opts.blob.exists(opts.fileKey(ref.id)))) throw new FetchRefused(OTHER_ORG_FILE, 'status');
  if (ref.self) throw new FetchRefused('is not an uploaded file of this server', 'status');
  return 'none';
}

/**
 * The fetcher handed to the renderer: files uploaded to this Adsmith (URLs naming
 * /v1/files/{id}, however spelled: see src/net/file-url.ts) come straight from the
 * blob store, and only when `mayRead` says the file is the job's organisation's;
 * every other URL goes through the guarded fetch.
 */
export function makeFetcher(opts: FetcherOptions): RemoteFetcher {
  return async (url: string) => {
    const access = await fileAccess(url, opts);
    if (access !== 'none') {
      const bytes = await opts.blob.get(opts.fileKey(access.read));
      if (bytes) return bytes;
      throw new FetchRefused('is not an uploaded file of this server (it was deleted)', 'status');
    }
    const saved = opts.inputKey?.(url);
    if (saved) {
      const bytes = await opts.blob.get(saved);
      if (bytes) return bytes;
    }
    return (await fetchImage(url, { allowPrivate: opts.allowPrivateUrls, refuse: refuseFileUrls({ publicUrl: opts.publicUrl }) })).bytes;
  };
}

/**
 * The renderer's check of every image source, cached or not (ImageLoaderOptions.authorize): a file of this
 * server that the current render may not read is refused even when another organisation's render left it
 * decoded in the thread's cache. URLs naming no file of this server pass (the fetcher guards them).
 */
export function sourceGuard(opts: Pick<FetcherOptions, 'publicUrl' | 'mayRead' | 'blob' | 'fileKey'>): (src: string) => Promise<void> {
  return async (src: string) => {
    await fileAccess(src, opts);
  };
}

/** The bytes of an image source as the renderer reads them: a data: URI is decoded, anything else goes to `fetch`. */
export async function readImageSource(src: string, fetch: RemoteFetcher): Promise<Uint8Array> {
  if (!src.startsWith('data:')) return fetch(src);
  const comma = src.indexOf(',');
  if (comma < 0) throw new FetchRefused('is not a valid data: URI', 'content');
  const body = src.slice(comma + 1);
  return new Uint8Array(src.slice(5, comma).endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8'));
}
