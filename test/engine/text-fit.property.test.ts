import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplates } from '../../src/assets/index.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import type { TextLayerPlan } from '../../src/engine/plan/types.js';
import { inkOutsideBox } from '../helpers/text.js';

/** Strings designers and users actually throw at ad templates, and worse. */
const ADVERSARIAL = [
  'Pneumonoultramicroscopicsilicovolcanoconiosisandthensomemore', // a 60-letter word
  'Limited offer! '.repeat(34).slice(0, 500), // 500 characters
  '夏季大促销，全场商品五折起，仅限本周末，欢迎选购！数量有限，售完即止。',
  'تخفيضات الصيف على جميع المنتجات لفترة محدودة فقط',
  'מבצע קיץ על כל המוצרים לזמן מוגבל בלבד',
  '🔥🎉👩‍👩‍👧‍👦🇫🇷✨💥🚀🛍️🧴',
  'Summer 夏季 صيف קיץ 🔥 sale — 50% off',
  '',
  '   \n\t  ',
  'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW',
  'Ég ÅÄÖ ñ ç Ćać Łódź Ωμέγα Привет Tiếng Việt',
  'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk',
  'x',
];

function textLayers(): { where: string; layer: TextLayerPlan }[] {
  const out: { where: string; layer: TextLayerPlan }[] = [];
  for (const template of publicTemplates()) {
    for (const brandId of template.requires_brand ? ['167', '166'] : [null]) {
      const plans = buildPlans({ template, brand: brandId ? publicBrand(brandId)! : null });
      for (const plan of plans) {
        for (const layer of plan.layers) {
          if (layer.kind === 'text') out.push({ where: `${template.id}/${brandId ?? '-'}/${plan.key}/${layer.id}`, layer });
        }
      }
    }
  }
  return out;
}

function check(where: string, layer: TextLayerPlan, text: string) {
  const report = inkOutsideBox({ ...layer, text });
  const label = `${where} with ${JSON.stringify(text.slice(0, 40))}`;
  expect(report.outside, `ink outside the box: ${label}`).toBe(0);
  expect(report.layout.belowMinimum, `size below minimum: ${label}`).toBe(false);
  expect(report.layout.fontSize, label).toBeGreaterThanOrEqual(layer.size.min);
  expect(report.layout.fontSize, label).toBeLessThanOrEqual(layer.size.max);
  if (layer.maxLines !== null) expect(report.layout.lines.length, label).toBeLessThanOrEqual(layer.maxLines);
  if (text.trim()) expect(report.inside, `something was drawn: ${label}`).toBeGreaterThan(0);
}

describe('text never leaves its box (every text box of every public scene)', () => {
  const layers = textLayers();

  it('covers every text box of both public templates', () => {
    // 1061: 8 scenes × 3 text boxes; 1062 with two brands: 2 × 8 × 3.
    expect(layers).toHaveLength(72);
  });

  for (const { where, layer } of layers) {
    it(`adversarial strings: ${where}`, () => {
      for (const text of ADVERSARIAL) check(where, layer, text);
    });
  }

  it('random strings from mixed scripts (fast-check)', () => {
    const alphabet = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-–—()%€$'.split(''),
      '夏', '季', '大', '促', '销', '。', 'ش', 'ك', 'ر', 'ا', 'ש', 'ל', 'ו', 'ם', '🔥', '👍🏽', 'é', 'ß', 'Ω', ' ', ' ', '\n',
    );
    const sample = layers.filter((_, i) => i % 3 === 0);
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 0, maxLength: 160 }), fc.nat(sample.length - 1), (chars, pick) => {
        const { where, layer } = sample[pick]!;
        check(where, layer, chars.join(''));
      }),
      { numRuns: 120, seed: 20261122 },
    );
  });
});
