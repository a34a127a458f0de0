import type { Http } from './http.js';
import { loadSource } from './sources.js';
import type { FileRecord, ImageSource } from './types.js';

/** Uploaded files (images and fonts): their URLs work as element content and in brand documents. */
export class Files {
  constructor(private readonly http: Http) {}

  /**
   * Uploads a local path (Node), bytes, a Blob/File or a data: URI. The server
   * sniffs the type from the bytes (PNG, JPEG, GIF, WebP, AVIF, SVG; TTF, OTF,
   * WOFF, WOFF2).
   */
  async upload(source: ImageSource, opts: { filename?: string; signal?: AbortSignal; parameter?: string } = {}): Promise<FileRecord> {
    const { blob, filename } = await loadSource(source, opts.parameter ?? 'file');
    const form = new FormData();
    form.append('file', blob, opts.filename ?? filename);
    // 429/503 are retried (nothing was stored); a network error is not, since the upload may have landed.
    return this.http.json({ method: 'POST', path: '/v1/files', form, signal: opts.signal });
  }

  list(): Promise<FileRecord[]> {
    return this.http.json({ method: 'GET', path: '/v1/files', idempotent: true });
  }

  async delete(id: string): Promise<void> {
    await this.http.json({ method: 'DELETE', path: `/v1/files/${encodeURIComponent(id)}`, idempotent: true });
  }
}
