import type { Context2D } from '../canvas.js';
import type { TextLayout } from '../layout/text.js';

export function paintText(ctx: Context2D, layout: TextLayout): void {
  ctx.font = layout.font;
  ctx.letterSpacing = `${layout.letterSpacingPx}px`;
  ctx.direction = layout.direction;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = layout.color;
  for (const line of layout.lines) if (line.text) ctx.fillText(line.text, line.x, line.baseline);
}
