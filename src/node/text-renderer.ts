import { getTextRenderer, setTextRenderer, type TextRenderer } from '@napi-rs/canvas';

export type { TextRenderer };

/**
 * How Skia draws glyphs in this process (@napi-rs/canvas, process-wide):
 * - `system` (the default): the OS's own renderer with its text gamma and
 *   contrast, as Chrome draws; on Linux the server's text matches Chromium's
 *   canvas (the editor) pixel for pixel (test/web/fidelity.test.ts), so a
 *   saved edit looks exactly as it did in the editor. The goldens are drawn
 *   this way. Glyph edges may differ slightly on another OS.
 * - `portable`: FreeType with Skia's default text gamma, the same pixels on
 *   every OS; glyph edges come out lighter than the browser's (up to ~3 % of a
 *   small banner's pixels differ from the editor's view).
 */
export const DEFAULT_TEXT_RENDERER: TextRenderer = 'system';

export function textRendererFromEnv(env: Record<string, string | undefined>): TextRenderer {
  const value = (env['ADSMITH_TEXT_RENDERER'] ?? '').trim() || DEFAULT_TEXT_RENDERER;
  if (value !== 'portable' && value !== 'system') throw new Error(`ADSMITH_TEXT_RENDERER must be portable or system, got "${value.slice(0, 40)}"`);
  return value;
}

/** Switches the process to `renderer` if it is not already in use (canvases made afterwards draw with it). */
export function useTextRenderer(renderer: TextRenderer): void {
  if (getTextRenderer() !== renderer) setTextRenderer(renderer);
}
