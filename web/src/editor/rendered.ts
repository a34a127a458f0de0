import type { Rendered } from './store.js';
import type { RenderOutput } from './renderer.js';

/** What the overlay needs from one engine render: every drawn element's box and how its text was set. */
export function fromRender(out: RenderOutput): Rendered {
  const boxes: Rendered['boxes'] = new Map();
  const texts: Rendered['texts'] = new Map();
  for (const layer of out.plan.layers) {
    boxes.set(layer.id, layer.box);
    if (layer.kind !== 'text') continue;
    const t = out.layout.texts.get(layer.id);
    if (!t) continue;
    texts.set(layer.id, {
      font: t.font,
      fontSize: t.fontSize,
      letterSpacingPx: t.letterSpacingPx,
      lineHeightPx: t.fontSize * layer.lineHeight,
      align: layer.align,
      transform: layer.transform,
      firstBaseline: t.lines[0]?.baseline ?? null,
      direction: t.direction,
    });
  }
  return { boxes, texts, ms: out.ms, warnings: out.warnings };
}
