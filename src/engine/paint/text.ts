import type { Context2D } from '../canvas.js';
import type { TextLayout } from '../layout/text.js';

export function paintText(ctx: Context2D, layout: TextLayout): void {
  ctx.font = layout.font;
  ctx.letterSpacing = `${layout.letterSpacingPx}px`;
  ctx.direction = layout.direction;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = layout.color;
  for (const line of layout.lines) {
    if (!line.text) continue;
    // Each paragraph is drawn in its own direction (how bidi orders its runs); x is already its left edge.
    ctx.direction = line.direction;
    ctx.fillText(line.text, line.x, line.baseline);
  }
}
