import type { Adsmith } from './api.js';

export type ThumbnailKind = 'template' | 'brand';

/**
 * Thumbnails are drawn by the engine in this browser (web/src/engine-host).
 * Until that host is part of the build, there is nothing to draw with: the
 * card keeps its placeholder and says why.
 */
export function thumbnail(_client: Adsmith, _kind: ThumbnailKind, _id: string, _brandId: string | null): Promise<string> {
  return Promise.reject(new Error('The in-browser engine is not part of this build yet.'));
}
