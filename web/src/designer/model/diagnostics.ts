/**
 * Text-fit diagnostics: for every text of every scene, the size the engine
 * gave it, its lines, and whether it was shortened or set below its minimum
 * — read from the engine's own layout, the one a render draws.
 */
import type { TextLayout } from '../../../../src/engine/layout/text.js';
import type { Scene } from '../../../../src/engine/model/template.js';

export interface TextFit {
  sceneIndex: number;
  id: string;
  label: string;
  /** The size the text was set at, px. */
  size: number;
  maxSize: number;
  minSize: number;
  lines: number;
  maxLines: number | null;
  /** Cut with an ellipsis (did not fit at the minimum size or in max lines). */
  shortened: boolean;
  /** Even one line at the minimum size did not fit: drawn smaller. */
  belowMinimum: boolean;
  /** Set smaller than its maximum size to fit. */
  shrunk: boolean;
}

export function textFits(sceneIndex: number, scene: Scene, texts: ReadonlyMap<string, TextLayout>): TextFit[] {
  const out: TextFit[] = [];
  for (const el of scene.elements) {
    if (el.layer_type !== 'text') continue;
    const t = texts.get(el.id);
    if (!t) continue;
    out.push({
      sceneIndex,
      id: el.id,
      label: el.name ?? el.content_type ?? el.id,
      size: Math.round(t.fontSize * 10) / 10,
      maxSize: el.style.font_size.max,
      minSize: el.style.font_size.min,
      lines: t.lines.length,
      maxLines: el.style.max_lines ?? null,
      shortened: t.truncated,
      belowMinimum: t.belowMinimum,
      shrunk: t.fontSize < el.style.font_size.max - 0.05,
    });
  }
  return out;
}

/** One word for a fit: what the designer must look at first. */
export function fitVerdict(f: TextFit): 'shortened' | 'below minimum' | 'shrunk' | 'fits' {
  if (f.belowMinimum) return 'below minimum';
  if (f.shortened) return 'shortened';
  if (f.shrunk) return 'shrunk';
  return 'fits';
}
