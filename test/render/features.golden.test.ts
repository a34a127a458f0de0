import { readFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicBrand } from '../../src/assets/index.js';
import type { Element, TemplateDocument } from '../../src/engine/model/template.js';
import { parseTemplate } from '../../src/engine/model/validate.js';
import { Renderer } from '../../src/node/render.js';
import { expectGolden } from '../helpers/golden.js';

const renderer = new Renderer();
let id = 0;

function text(box: [number, number, number, number], content: string, style: Record<string, unknown> = {}): Element {
  return {
    id: `t${++id}`,
    layer_type: 'text',
    content_type: null,
    content,
    box: { x: box[0], y: box[1], width: box[2], height: box[3] },
    style: { font_family: 'Inter', font_size: { max: 40, min: 12 }, color: '#1D1D28', ...style },
  } as Element;
}
function frame(box: [number, number, number, number]): Element {
  return { id: `f${++id}`, layer_type: 'shape', content_type: null, content: '', box: { x: box[0], y: box[1], width: box[2], height: box[3] }, style: { shape: 'rect', stroke: { color: '#C9CCD6', width: 1 } } } as Element;
}
/** Each text box is shown with a hairline frame so the golden shows how the text sits in it. */
function framed(box: [number, number, number, number], content: string, style: Record<string, unknown> = {}): Element[] {
  return [frame(box), text(box, content, style)];
}

function doc(width: number, height: number, elements: Element[], requiresBrand = false, background: TemplateDocument['scenes'][number]['background'] = { type: 'color', color: '#FFFFFF' }): TemplateDocument {
  return parseTemplate({ schema_version: 1, id: 'features', name: 'features', description: '', requires_brand: requiresBrand, scenes: [{ name: 'features', width, height, background, elements }] });
}

async function renderOne(t: TemplateDocument, brand: string | null = null, output = {}) {
  const [scene] = await renderer.render({ template: t, brand: brand ? publicBrand(brand)! : null, output });
  return scene!;
}

/** A photo-like test image with an obvious orientation: red top-left corner, blue bottom-right, stored rotated with EXIF 6. */
let exifJpeg = '';
let alphaPng = '';
beforeAll(async () => {
  const c = createCanvas(400, 300);
  const ctx = c.getContext('2d');
  const g = ctx.createLinearGradient(0, 0, 400, 300);
  g.addColorStop(0, '#F4D35E');
  g.addColorStop(1, '#0D3B66');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 400, 300);
  ctx.fillStyle = '#EE2222';
  ctx.fillRect(0, 0, 120, 80);
  ctx.fillStyle = '#2244EE';
  ctx.fillRect(300, 220, 100, 80);
  const upright = await c.encode('png');
  // Store the pixels rotated 90° counter-clockwise and tag EXIF orientation 6 (rotate 90° CW to display).
  const rotated = await sharp(upright).rotate(-90).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer();
  exifJpeg = `data:image/jpeg;base64,${rotated.toString('base64')}`;
  const a = createCanvas(200, 200);
  const actx = a.getContext('2d');
  actx.fillStyle = 'rgba(230, 57, 70, 0.85)';
  actx.beginPath();
  actx.arc(100, 100, 90, 0, Math.PI * 2);
  actx.fill();
  alphaPng = `data:image/png;base64,${Buffer.from(await a.encode('png')).toString('base64')}`;
});

describe('text behaviours', () => {
  it('wrap, shrink, ellipsis, long words, alignment, spacing, case', async () => {
    const els = [
      ...framed([20, 20, 360, 120], 'Wraps at word boundaries and keeps the largest size that fits', { font_size: { max: 40, min: 14 } }),
      ...framed([400, 20, 360, 120], 'Shrinks: a much longer sentence than the box could ever hold at its maximum size, so it shrinks down', { font_size: { max: 40, min: 12 } }),
      ...framed([780, 20, 360, 120], 'Ellipsis: this text is far too long for its box even at the smallest size allowed, so the last line that fits ends with an ellipsis and nothing spills', { font_size: { max: 30, min: 22 } }),
      ...framed([20, 160, 360, 120], 'Supercalifragilisticexpialidociouslylongwordthatneverends', { font_size: { max: 40, min: 28 } }),
      ...framed([400, 160, 360, 120], 'max_lines 2 then ellipsis even though there is height for more', { font_size: { max: 28, min: 28 }, max_lines: 2 }),
      ...framed([780, 160, 360, 120], 'LETTER SPACING', { letter_spacing: 0.3, font_weight: 700, vertical_align: 'middle', align: 'center' }),
      ...framed([20, 300, 260, 130], 'Left top', { align: 'left', vertical_align: 'top' }),
      ...framed([300, 300, 260, 130], 'Center middle', { align: 'center', vertical_align: 'middle' }),
      ...framed([580, 300, 260, 130], 'Right bottom', { align: 'right', vertical_align: 'bottom' }),
      ...framed([860, 300, 280, 130], 'line height 1.8 gives room to breathe', { line_height: 1.8, font_size: { max: 26, min: 26 } }),
      ...framed([20, 450, 360, 90], 'uppercase transform', { text_transform: 'uppercase', font_weight: 800, font_family: 'Montserrat' }),
      ...framed([400, 450, 360, 90], 'capitalize every word here', { text_transform: 'capitalize', font_family: 'Playfair Display', font_style: 'italic' }),
      ...framed([780, 450, 360, 90], 'Tight heading 0.9', { line_height: 0.9, font_size: { max: 44, min: 20 }, font_family: 'Bebas Neue' }),
    ];
    const scene = await renderOne(doc(1160, 560, els));
    expect(scene.warnings.some((w) => w.includes('ellipsis'))).toBe(true);
    await expectGolden('features/text-behaviours', scene.bytes);
  });

  it('scripts: CJK, Arabic, Hebrew, mixed right-to-left, emoji', async () => {
    const els = [
      ...framed([20, 20, 520, 120], '夏季大促销，全场商品五折起，仅限本周末。数量有限，售完即止！', { font_size: { max: 36, min: 16 } }),
      ...framed([560, 20, 520, 120], 'تخفيضات الصيف على جميع المنتجات لفترة محدودة', { font_size: { max: 40, min: 16 } }),
      ...framed([20, 160, 520, 120], 'מבצע קיץ על כל המוצרים לזמן מוגבל בלבד', { font_size: { max: 40, min: 16 } }),
      ...framed([560, 160, 520, 120], 'عرض خاص: خصم 50% على Nike Air حتى 31/8', { font_size: { max: 36, min: 16 } }),
      ...framed([20, 300, 520, 120], 'Summer sale 🔥🎉 family 👩‍👩‍👧‍👦 flags 🇫🇷🇯🇵 skin tones 👍🏽', { font_size: { max: 36, min: 16 } }),
      ...framed([560, 300, 520, 120], 'Mixed: Sale 夏季 صيف קיץ 🔥 Ωμέγα Привет', { font_size: { max: 36, min: 16 } }),
    ];
    const scene = await renderOne(doc(1100, 440, els));
    expect(scene.warnings).toEqual([]);
    await expectGolden('features/scripts', scene.bytes);
  });
});

describe('every script the shipped fonts cover', () => {
  it('Korean, Thai, Devanagari, Bengali, Tamil, Greek, Cyrillic, combining marks, Japanese vs Chinese Han forms, right-to-left start', async () => {
    const size = { font_size: { max: 30, min: 14 } };
    const els = [
      ...framed([20, 20, 400, 90], '여름 맞이 특별 할인 전 상품 50%', size),
      ...framed([440, 20, 400, 90], 'ลดราคาฤดูร้อนสินค้าทุกชิ้นในร้านเป็นเวลาจำกัด', size),
      ...framed([20, 130, 400, 90], 'गर्मियों की सेल: सभी उत्पादों पर छूट', size),
      ...framed([440, 130, 400, 90], 'গ্রীষ্মের সেল: সব পণ্যে ছাড়', size),
      ...framed([20, 240, 400, 90], 'கோடை விற்பனை: அனைத்து பொருட்களும்', size),
      ...framed([440, 240, 400, 90], 'Καλοκαιρινές εκπτώσεις · Летняя распродажа', size),
      ...framed([20, 350, 400, 90], 'Decomposed: Cafe\u0301 Tie\u0302\u0301ng Vie\u0323\u0302t мо\u0301локо', size),
      ...framed([440, 350, 400, 90], 'تخفيضات الصيف على جميع المنتجات', { ...size, align: 'start' }),
      ...framed([20, 460, 260, 90], 'ja 直 骨 角 写 今', { font_size: { max: 40, min: 14 }, locale: 'ja' }),
      ...framed([300, 460, 260, 90], 'zh 直 骨 角 写 今', { font_size: { max: 40, min: 14 }, locale: 'zh-Hans' }),
      ...framed([580, 460, 260, 90], 'zh-TW 直 骨 角 寫 今', { font_size: { max: 40, min: 14 }, locale: 'zh-TW' }),
      ...framed([20, 570, 400, 90], 'מבצע קיץ על כל המוצרים', { ...size, align: 'start' }),
      ...framed([440, 570, 195, 90], 'تخفيضات الصيف (end)', { font_size: { max: 22, min: 10 }, align: 'end' }),
      ...framed([645, 570, 195, 90], 'Sale, start:\nتخفيضات الصيف', { font_size: { max: 22, min: 10 }, align: 'start' }),
    ];
    const scene = await renderOne(doc(860, 680, els));
    expect(scene.warnings).toEqual([]);
    await expectGolden('features/every-script', scene.bytes);
  });
});

describe('images, logos and shapes', () => {
  it('cover and contain with focal points, EXIF orientation, alpha, corner radius', async () => {
    const img = (box: [number, number, number, number], src: string, style: Record<string, unknown>): Element =>
      ({ id: `i${++id}`, layer_type: 'image', content_type: null, content: src, box: { x: box[0], y: box[1], width: box[2], height: box[3] }, style }) as Element;
    const els = [
      img([20, 20, 200, 300], exifJpeg, { fit: 'cover', focal: { x: 0, y: 0 } }),
      img([240, 20, 200, 300], exifJpeg, { fit: 'cover', focal: { x: 1, y: 1 } }),
      img([460, 20, 300, 300], exifJpeg, { fit: 'contain', background: '#EEF0F4' }),
      img([780, 20, 300, 300], exifJpeg, { fit: 'cover', corner_radius: 48 }),
      img([1100, 20, 200, 200], alphaPng, { fit: 'contain' }),
    ];
    const scene = await renderOne(doc(1320, 340, els, false, { type: 'linear_gradient', angle: 90, stops: [{ offset: 0, color: '#FFFFFF' }, { offset: 1, color: '#DDE3EA' }] }));
    // EXIF applied: the red marker is top-left once rotated upright.
    const { data, info } = await sharp(scene.bytes).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [r, g, b] = at(790 + 20, 20 + 48 + 10) as [number, number, number];
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    await expectGolden('features/images', scene.bytes);
  });

  it('logos pick light or dark by what lies under them, SVG crisp at any size', async () => {
    const logo = (box: [number, number, number, number], style: Record<string, unknown> = {}): Element =>
      ({ id: `l${++id}`, layer_type: 'logo', content_type: 'Logo #1', content: '', box: { x: box[0], y: box[1], width: box[2], height: box[3] }, style: { align: 'center', ...style } }) as Element;
    const dark: Element = { id: `d${++id}`, layer_type: 'shape', content_type: null, content: '', box: { x: 0, y: 0, width: 600, height: 200 }, style: { shape: 'rect', fill: '#14141C' } } as Element;
    const els = [dark, logo([40, 50, 520, 100]), logo([640, 50, 520, 100]), logo([40, 230, 60, 60], { logo: 'icon' }), logo([120, 220, 400, 80], { logo: 'icon' }), logo([640, 230, 520, 60], { variant: 'on_dark' })];
    const t = doc(1200, 320, els, true, { type: 'color', color: 'brand.background' });
    const scene = await renderOne(t, '167', { scale: 2 });
    expect(scene.width).toBe(2400);
    await expectGolden('features/logos-167', scene.bytes);
  });

  it('shapes, gradients, rotation and opacity', async () => {
    const shape = (box: [number, number, number, number], style: Record<string, unknown>, extra: Record<string, number> = {}): Element =>
      ({ id: `s${++id}`, layer_type: 'shape', content_type: null, content: '', box: { x: box[0], y: box[1], width: box[2], height: box[3], ...extra }, style }) as Element;
    const els = [
      shape([20, 20, 200, 120], { shape: 'rect', fill: '#2A9D8F' }),
      shape([240, 20, 200, 120], { shape: 'rect', fill: '#E9C46A', corner_radius: 24 }),
      shape([460, 40, 240, 80], { shape: 'rect', fill: '#E76F51', corner_radius: 40 }),
      shape([720, 20, 160, 120], { shape: 'ellipse', fill: '#264653', stroke: { color: '#F4A261', width: 8 } }),
      shape([20, 180, 300, 6], { shape: 'line', fill: '#264653' }),
      shape([360, 170, 160, 100], { shape: 'rect', fill: '#8338EC', corner_radius: 12 }, { rotation: 15, opacity: 0.6 }),
      shape([560, 170, 300, 100], { shape: 'rect', stroke: { color: '#1D3557', width: 4 }, corner_radius: 50 }),
    ];
    const scene = await renderOne(doc(900, 300, els, false, { type: 'radial_gradient', center: { x: 0.3, y: 0.3 }, stops: [{ offset: 0, color: '#FFFFFF' }, { offset: 1, color: '#CAD2E0' }] }));
    await expectGolden('features/shapes', scene.bytes);
  });

  it('brand roles: the same template dressed by two brands', async () => {
    const els: Element[] = [
      { id: 'bg', layer_type: 'shape', content_type: 'Basic Shape #1', content: '', box: { x: 0, y: 0, width: 300, height: 300 }, style: { shape: 'rect', fill: 'brand.primary' } } as Element,
      { id: 'acc', layer_type: 'shape', content_type: 'Basic Shape #2', content: '', box: { x: 320, y: 200, width: 260, height: 80 }, style: { shape: 'rect', fill: 'brand.accent', corner_radius: 40 } } as Element,
      text([320, 20, 260, 100], 'Heading in the brand font', { font_family: 'brand.heading_font', color: 'brand.text', font_size: { max: 40, min: 16 } }),
      text([320, 120, 260, 60], 'Body in the brand body font, tinted', { font_family: 'brand.body_font', color: 'brand.text/0.7', font_size: { max: 20, min: 12 } }),
      { id: 'logo', layer_type: 'logo', content_type: 'Logo #1', content: '', box: { x: 40, y: 110, width: 220, height: 80 }, style: {} } as Element,
    ];
    const t = doc(600, 300, els, true, { type: 'color', color: 'brand.background' });
    for (const brand of ['122', '166']) {
      const scene = await renderOne(t, brand);
      await expectGolden(`features/brand-roles-${brand}`, scene.bytes);
    }
  });
});

describe('brand-owned fonts', () => {
  const fontFile = (pkg: string, file: string) => `data:font/woff2;base64,${readFileSync(new URL(`../../node_modules/@fontsource/${pkg}/files/${file}`, import.meta.url)).toString('base64')}`;
  const pixels = async (bytes: Uint8Array) => new Uint8Array(await sharp(bytes).raw().toBuffer());
  const differing = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 8 ? 1 : 0), 0);

  it('two brands that give different files the same family name each draw with their own', async () => {
    const brandWith = (pkg: string, file: string, weight: number) => {
      const brand = structuredClone(publicBrand('121')!);
      brand.fonts.heading = { family: 'House Face', weight };
      brand.fonts.files = [{ family: 'House Face', weight, src: fontFile(pkg, file) }];
      return brand;
    };
    const t = doc(420, 110, [text([10, 10, 400, 90], 'Same name, own face', { font_family: 'brand.heading_font', font_size: { max: 40, min: 40 } })], true);
    const [bebasBrand] = await renderer.render({ template: t, brand: brandWith('bebas-neue', 'bebas-neue-latin-400-normal.woff2', 400) });
    const [playfairBrand] = await renderer.render({ template: t, brand: brandWith('playfair-display', 'playfair-display-latin-400-normal.woff2', 400) });
    // The first brand again, after the second registered its file under the same name.
    const [bebasAgain] = await renderer.render({ template: t, brand: brandWith('bebas-neue', 'bebas-neue-latin-400-normal.woff2', 400) });
    // Each equals the same text set in the bundled family it names, so neither took the other's face.
    const bundled = (family: string, weight: number) => renderOne(doc(420, 110, [text([10, 10, 400, 90], 'Same name, own face', { font_family: family, font_weight: weight, font_size: { max: 40, min: 40 } })]));
    const [a, b, again, bebas, playfair] = await Promise.all([pixels(bebasBrand!.bytes), pixels(playfairBrand!.bytes), pixels(bebasAgain!.bytes), bundled('Bebas Neue', 400).then((s) => pixels(s.bytes)), bundled('Playfair Display', 400).then((s) => pixels(s.bytes))]);
    expect(differing(a, b)).toBeGreaterThan(500);
    expect(differing(a, bebas)).toBeLessThan(50);
    expect(differing(b, playfair)).toBeLessThan(50);
    expect(differing(again, bebas)).toBeLessThan(50);
  });
});

describe('bad input', () => {
  it('an image that cannot be decoded names the element and the reason', async () => {
    const t = doc(200, 200, [{ id: 'hero', layer_type: 'image', content_type: 'Image #1', content: 'data:image/png;base64,aGVsbG8=', box: { x: 0, y: 0, width: 200, height: 200 }, style: {} } as Element]);
    await expect(renderer.render({ template: t, brand: null })).rejects.toMatchObject({ code: 'ADS_IMAGE_DECODE_FAILED', message: expect.stringContaining('"hero"') });
  });

  it('a brand font that cannot be parsed falls back with a warning', async () => {
    const brand = structuredClone(publicBrand('121')!);
    brand.fonts.heading = { family: 'Broken Sans', weight: 700 };
    brand.fonts.files = [{ family: 'Broken Sans', weight: 700, src: 'data:font/ttf;base64,AAEAAAALAIAAAwAw' }];
    const t = doc(400, 120, [text([10, 10, 380, 100], 'Fallback works', { font_family: 'brand.heading_font' })], true);
    const [scene] = await renderer.render({ template: t, brand });
    expect(scene!.warnings.join('\n')).toMatch(/Broken Sans.*could not be parsed/);
    expect(scene!.bytes.length).toBeGreaterThan(1000);
  });

  it('a character no shipped font has is reported, not silently drawn as a box', async () => {
    const t = doc(400, 120, [text([10, 10, 380, 100], 'Klingon \u{F8D0}\u{F8D1} and Linear B \u{10000}')]);
    const scene = await renderOne(t);
    expect(scene.warnings.join('\n')).toContain('U+10000');
  });
});
