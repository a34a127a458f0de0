import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplates } from '../../src/assets/index.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import type { TextLayerPlan } from '../../src/engine/plan/types.js';
import { FontLibrary } from '../../src/node/fonts.js';
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

/** A headline in every script the shipped fonts cover (decomposed marks written out). */
const SCRIPTS: Record<string, string> = {
  korean: '여름 맞이 특별 할인 행사 전 상품 최대 50% 할인',
  thai: 'ลดราคาฤดูร้อนสินค้าทุกชิ้นในร้านเป็นเวลาจำกัด',
  devanagari: 'गर्मियों की सेल: सभी उत्पादों पर सीमित समय के लिए छूट',
  bengali: 'গ্রীষ্মের সেল: সীমিত সময়ের জন্য সব পণ্যে ছাড়',
  tamil: 'கோடை விற்பனை: அனைத்து பொருட்களுக்கும் தள்ளுபடி',
  greek: 'Καλοκαιρινές εκπτώσεις σε όλα τα προϊόντα',
  cyrillic: 'Летняя распродажа на все товары, только неделя',
  arabic: 'تخفيضات الصيف على جميع المنتجات لفترة محدودة فقط',
  hebrew: 'מבצע קיץ על כל המוצרים לזמן מוגבל בלבד',
  japanese: '夏のセール開催中、全品半額。直 骨 角',
  traditionalChinese: '夏季大促銷，全場商品五折起，僅限本週末。',
  decomposed: 'Cafe\u0301 Tie\u0302\u0301ng Vie\u0323\u0302t мо\u0301локо',
};

const fonts = new FontLibrary();

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

  for (const { where, layer } of layers) {
    it(`every script: ${where}`, () => {
      for (const [script, text] of Object.entries(SCRIPTS)) {
        check(where, layer, text);
        // No box is drawn for a covered script: every cluster is in one shipped file of this layer's chain.
        expect(fonts.uncovered(text, layer.font), `${script} in ${where}`).toEqual([]);
        // Right-to-left text set to the start begins at the right edge of this box, set to the end at its left edge
        // (the public templates align left or center, so the box is taken with start and end alignment).
        if (script === 'arabic' || script === 'hebrew') {
          const slack = (size: number) => Math.max(3, size * 0.25);
          const start = inkOutsideBox({ ...layer, text, align: 'start', direction: 'auto' });
          expect(start.outside, `${script} in ${where}, start`).toBe(0);
          expect(start.layout.direction, `${script} in ${where}`).toBe('rtl');
          for (const line of start.layout.lines) expect(line.inkRight, `${script} in ${where} starts on the right`).toBeGreaterThan(layer.box.width - slack(start.layout.fontSize));
          const end = inkOutsideBox({ ...layer, text, align: 'end', direction: 'auto' });
          for (const line of end.layout.lines) expect(line.inkLeft, `${script} in ${where} ends on the left`).toBeLessThan(slack(end.layout.fontSize));
        }
      }
    });
  }

  it('random strings from mixed scripts (fast-check)', () => {
    const alphabet = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-–—()%€$'.split(''),
      '夏', '季', '大', '促', '销', '。', 'ش', 'ك', 'ر', 'ا', 'ש', 'ל', 'ו', 'ם', '🔥', '👍🏽', 'é', 'ß', 'Ω', ' ', ' ', '\n',
      '한', '국', 'ก', 'า', '้', 'क', 'ि', '्', 'ষ', 'ক', 'த', 'ு', 'あ', '直', '銷', 'Ж', 'λ', 'e\u0301',
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
