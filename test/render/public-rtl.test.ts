/**
 * The public templates' copy is designed to hang from the side where its lines begin (align `start`), so an
 * Arabic heading in 1061 and 1062 starts on the right of its box, and a Latin one stays on the left as the
 * goldens show. Laid out from the templates' own plans, as the renderer lays them out.
 */
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import type { Context2D } from '../../src/engine/canvas.js';
import { layoutText } from '../../src/engine/layout/text.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import type { TextLayerPlan } from '../../src/engine/plan/types.js';
import { FontLibrary, formatFamilyList } from '../../src/node/fonts.js';

/** "Summer sale on every product": short enough that its lines do not fill the box, so the side it hangs from shows. */
const ARABIC = 'تخفيضات الصيف';
const LATIN = 'Summer sale';

const library = new FontLibrary();
const ctx = createCanvas(10, 10).getContext('2d') as unknown as Context2D;

function headings(template: string, brand: string | null, content: string): TextLayerPlan[] {
  const plans = buildPlans({ template: publicTemplate(template)!, brand: brand ? publicBrand(brand)! : null, elements: [{ content_type: 'Heading #1', content }] });
  return plans.map((p) => p.layers.find((l): l is TextLayerPlan => l.kind === 'text' && l.contentType === 'Heading #1')!);
}

/** The lines, and how near an edge a line's ink must come to hang from it: a letter's side bearing, ≤ 10 % of the size. */
function laidOut(plan: TextLayerPlan) {
  library.ensure(plan.font, plan.text);
  const layout = layoutText(ctx, plan, formatFamilyList);
  return { lines: layout.lines, near: Math.max(4, layout.fontSize * 0.1) };
}

describe('public templates: a right-to-left heading starts on the right', () => {
  for (const [template, brand] of [['1061', null], ['1062', '167'], ['1062', '121']] as const) {
    it(`template ${template} with brand ${brand ?? 'none'}`, () => {
      const arabic = headings(template, brand, ARABIC), latin = headings(template, brand, LATIN);
      expect(arabic).toHaveLength(8);
      let started = 0;
      arabic.forEach((plan, i) => {
        const where = `scene ${i + 1} (${plan.box.width} px box)`;
        if (plan.align === 'center') return; // the centred layouts (display ad, story) are symmetric
        expect(plan.align, where).toBe('start');
        const ar = laidOut(plan);
        expect(ar.lines[0]!.direction, where).toBe('rtl');
        for (const line of ar.lines) expect(line.inkRight, `${where}: "${line.text}" ends ${(plan.box.width - line.inkRight).toFixed(1)} px short of the right edge`).toBeGreaterThan(plan.box.width - ar.near);
        // Every line leaves room on its left, so hanging from the left would have failed the check above.
        expect(Math.min(...ar.lines.map((l) => l.inkLeft)), where).toBeGreaterThan(ar.near);
        const en = laidOut(latin[i]!);
        expect(en.lines[0]!.direction, where).toBe('ltr');
        for (const line of en.lines) expect(line.inkLeft, `${where}: "${line.text}"`).toBeLessThan(en.near);
        started++;
      });
      expect(started).toBe(6);
    });
  }

  it('the check fails for a heading aligned left', () => {
    const plan = { ...headings('1061', null, ARABIC)[0]!, align: 'left' as const };
    const ar = laidOut(plan);
    expect(Math.max(...ar.lines.map((l) => l.inkRight))).toBeLessThan(plan.box.width - 2 * ar.near);
  });
});
