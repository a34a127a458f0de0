import type { Renderer } from '../node/render.js';

/**
 * The Renderer's ImageLoader keeps every decoded source for the life of the
 * thread: right for template assets, wrong for per-request smart-image frames
 * (several MB each as decoded canvases, never drawn again). src/node has no
 * public eviction yet, so this drops one source from the loader's private maps.
 * test/jobs/renderer-images.test.ts fails if those maps change, so the
 * workaround cannot silently stop working. Replace with a public
 * `ImageLoader.forget(src)` once src/node offers one.
 */
export function forgetDecodedImage(renderer: Renderer, src: string): boolean {
  const loader = renderer.images as unknown as Record<'decoded' | 'resolved', unknown>;
  let dropped = false;
  for (const field of ['decoded', 'resolved'] as const) {
    const map = loader[field];
    if (map instanceof Map) dropped = map.delete(src) || dropped;
  }
  return dropped;
}
