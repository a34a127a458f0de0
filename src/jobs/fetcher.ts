import type { BlobStore } from '../blob/types.js';
import { fetchImage, FetchRefused } from '../net/fetch.js';
import type { RemoteFetcher } from '../node/types.js';

/**
 * The fetcher handed to the renderer: files uploaded to this Adsmith (their URLs
 * start with PUBLIC_URL/v1/files/) come straight from the blob store; every
 * other URL goes through the guarded fetch.
 */
export function makeFetcher(opts: {
  publicUrl: string;
  allowPrivateUrls: boolean;
  blob: BlobStore;
  fileKey: (id: string) => string;
  /** Blob key of the copy of `url` saved when the current job was accepted, if any. */
  inputKey?: (url: string) => string | null;
}): RemoteFetcher {
  const prefix = `${opts.publicUrl}/v1/files/`;
  return async (url: string) => {
    const saved = opts.inputKey?.(url);
    if (saved) {
      const bytes = await opts.blob.get(saved);
      if (bytes) return bytes;
    }
    if (url.startsWith(prefix)) {
      const id = url.slice(prefix.length).split(/[/?#]/)[0] ?? '';
      if (/^[A-Za-z0-9_-]{16,}$/.test(id)) {
        const bytes = await opts.blob.get(opts.fileKey(id));
        if (bytes) return bytes;
      }
      throw new FetchRefused('is not an uploaded file of this server', 'status');
    }
    return (await fetchImage(url, { allowPrivate: opts.allowPrivateUrls })).bytes;
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
