import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { publicBrands, publicTemplate } from '../../src/assets/index.js';
import type { BrandDocument } from '../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { Renderer } from '../../src/node/render.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { buildEnginePage, enginePageHtml } from '../helpers/engine-page.js';
import { tempDir } from '../server/helpers.js';

/**
 * Issue 11, deliverable 6: the browser and the server draw every public scene alike.
 * Each scene of 1061, and of 1062 with each public brand, is rendered in Chromium's
 * canvas by the browser host (web/src/engine-host: the same font files, the server's
 * own image decodes and resvg logo rasters) and by the Node host (Renderer). At most
 * 0.5 % of the pixels may differ beyond pixelmatch's colour tolerance (threshold 0.1,
 * about 26/255 in luma), every pixel counted (anti-aliased edges included).
 *
 * The server draws glyphs with its default `system` text renderer (ADSMITH_TEXT_RENDERER,
 * src/node/text-renderer.ts), as Chrome does. With the opt-in `portable` renderer
 * (FreeType with Skia's default text gamma, the same on every OS) the edge pixels of
 * glyphs differ from Chromium's (Linux text gamma and contrast): that figure is printed
 * beside each scene, and it is the only difference (positions, shapes, images and logos
 * are the same).
 */
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const MAX_DIFFERING = 0.005;
const THRESHOLD = 0.1;
const OUT = path.resolve('test/output/fidelity');
const TOKEN = 'fidelity-token-0123456789abcdef';

interface Harness {
  render(input: object): Promise<{ png: string; width: number; height: number; warnings: string[]; ms: number }>;
}

let app: Awaited<ReturnType<typeof buildApp>>['app'];
let dataDir = '';
let browser: Browser;
let page: Page;
const server = new Renderer(); // the server's default, as generate and editor saves use it
const portable = new Renderer({ textRenderer: 'portable' });

beforeAll(async () => {
  dataDir = tempDir();
  const built = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, workers: 0, logger: false }));
  app = built.app;
  await ensureDefaultOrg(built.ctx.store, TOKEN);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const html = enginePageHtml(await buildEnginePage(), TOKEN);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: LAUNCH_ARGS });
  page = await browser.newPage();
  // The page lives on the server's origin (its API calls are same-origin); only its HTML is the test's.
  await page.route(`${base}/__engine-test`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${base}/__engine-test`);
  await page.waitForFunction(() => (globalThis as unknown as { fidelityReady?: boolean }).fidelityReady === true);
  fs.mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

type Pixels = { data: Buffer; width: number; height: number };

async function rgba(png: Uint8Array): Promise<Pixels> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function browserRender(template: TemplateDocument, brand: BrandDocument | null, sceneIndex: number) {
  const res = await page.evaluate(async (input) => (globalThis as unknown as { fidelity: Harness }).fidelity.render(input), { template, brand, elements: [], sceneIndex, scale: 1 });
  return { ...res, bytes: Buffer.from(res.png.slice(res.png.indexOf(',') + 1), 'base64') };
}

/** The share of pixels differing beyond the tolerance, every pixel counted. */
function differing(a: Pixels, b: Pixels, diff?: Buffer): number {
  return pixelmatch(a.data, b.data, diff, a.width, a.height, { threshold: THRESHOLD, includeAA: true }) / (a.width * a.height);
}

const figures: Array<{ name: string; share: number }> = [];

const cases: Array<{ label: string; template: TemplateDocument; brand: BrandDocument | null }> = [
  { label: '1061', template: publicTemplate('1061')!, brand: null },
  ...publicBrands().map((brand) => ({ label: `1062+${brand.id}`, template: publicTemplate('1062')!, brand })),
];

describe('browser canvas and server render agree (issue 11, deliverable 6)', () => {
  for (const c of cases) {
    it(`${c.label}: every scene within ${MAX_DIFFERING * 100} % differing pixels`, async () => {
      for (let i = 0; i < c.template.scenes.length; i++) {
        const req = { template: c.template, brand: c.brand, elements: [] };
        const ours = await server.renderScene(req, i);
        const theirs = await browserRender(c.template, c.brand, i);
        const a = await rgba(ours.bytes);
        const b = await rgba(theirs.bytes);
        expect([b.width, b.height]).toEqual([a.width, a.height]);
        const diff = Buffer.alloc(a.data.length);
        const share = differing(a, b, diff);
        const portableShare = differing(await rgba((await portable.renderScene(req, i)).bytes), b);
        const name = `${c.label} ${ours.key} ${ours.name}`;
        figures.push({ name, share });
        console.log(`fidelity ${name.padEnd(48)} ${(share * 100).toFixed(3).padStart(6)} % of ${a.width}×${a.height} differ (portable text renderer: ${(portableShare * 100).toFixed(3)} %)`);
        const stem = path.join(OUT, `${c.label}-${ours.key}`);
        fs.writeFileSync(`${stem}-server.png`, ours.bytes);
        fs.writeFileSync(`${stem}-browser.png`, theirs.bytes);
        fs.writeFileSync(`${stem}-diff.png`, await sharp(diff, { raw: { width: a.width, height: a.height, channels: 4 } }).png().toBuffer());
        expect(theirs.warnings, `${name}: browser warnings`).toEqual(ours.warnings);
        expect(share, `${name}: ${(share * 100).toFixed(3)} % of pixels differ (diff in ${stem}-diff.png)`).toBeLessThanOrEqual(MAX_DIFFERING);
      }
    });
  }

  it('the worst scene', () => {
    expect(figures).toHaveLength(8 + 8 * 5);
    const worst = figures.reduce((w, f) => (f.share > w.share ? f : w));
    console.log(`fidelity worst: ${worst.name}: ${(worst.share * 100).toFixed(3)} % of pixels differ (limit ${MAX_DIFFERING * 100} %)`);
    expect(worst.share).toBeLessThanOrEqual(MAX_DIFFERING);
  });

  it('a Latin scene loads no CJK or emoji font file; mixed scripts load them and still agree', async () => {
    const fetched = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/v1/engine/fonts/')));
    const before = await fetched();
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((n) => /NotoSansSC|noto-color-emoji|noto-sans-arabic|noto-sans-hebrew/.test(n))).toEqual([]);
    const template = publicTemplate('1061')!;
    const elements = [{ content_type: 'Heading #1', content: 'Sale 夏季特卖 🔥 تخفيض שלום' }];
    const ours = await rgba((await server.renderScene({ template, brand: null, elements }, 0)).bytes);
    const res = await page.evaluate(async (input) => (globalThis as unknown as { fidelity: Harness }).fidelity.render(input), { template, brand: null, elements, sceneIndex: 0, scale: 1 });
    const theirs = await rgba(Buffer.from(res.png.slice(res.png.indexOf(',') + 1), 'base64'));
    const share = differing(ours, theirs);
    console.log(`fidelity mixed scripts (Latin, CJK, emoji, Arabic, Hebrew): ${(share * 100).toFixed(3)} % differ`);
    expect(share).toBeLessThanOrEqual(MAX_DIFFERING);
    const after = await fetched();
    for (const file of [/NotoSansSC/, /noto-color-emoji/, /noto-sans-arabic/, /noto-sans-hebrew/]) expect(after.some((n) => file.test(n)), String(file)).toBe(true);
  });

  it('every script the chain covers, and Han characters in Japanese and Traditional Chinese forms, draw alike', async () => {
    const template = publicTemplate('1061')!;
    const headings: Array<{ content: string; locale?: string; file: RegExp }> = [
      { content: '여름 맞이 특별 할인 전 상품 50%', file: /noto-sans-kr-korean/ },
      { content: 'ลดราคาฤดูร้อนสินค้าทุกชิ้น', file: /noto-sans-thai-thai/ },
      { content: 'गर्मियों की सेल: सभी उत्पादों पर छूट', file: /noto-sans-devanagari|noto-sans-devanagari-400/ },
      { content: 'গ্রীষ্মের সেল: সব পণ্যে ছাড়', file: /noto-sans-bengali-bengali/ },
      { content: 'கோடை விற்பனை: அனைத்து பொருட்களும்', file: /noto-sans-tamil-tamil/ },
      { content: 'Καλοκαιρινές εκπτώσεις · Летняя распродажа', file: /greek|cyrillic/ },
      { content: 'Cafe\u0301 Tie\u0302\u0301ng Vie\u0323\u0302t', file: /vietnamese/ },
      // Letters with marks that have no precomposed form and no subset has with their letter: the complete Noto Sans draws them.
      { content: 'Tax\u0302 \u03C9\u0308 \u025B\u0303\u0301 \u014B\u030A e\u1DC4 \u0438\u0302', file: /\/NotoSans_\d+[A-Za-z]+(_Italic)?\.ttf/ },
      { content: '夏のセール 直 骨 角', locale: 'ja', file: /noto-sans-jp-japanese/ },
      { content: '夏季大促銷 直 骨 角', locale: 'zh-TW', file: /noto-sans-tc-chinese-traditional/ },
    ];
    const fetched = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/v1/engine/fonts/')));
    for (const h of headings) {
      const elements = [{ content_type: 'Heading #1', content: h.content, ...(h.locale ? { locale: h.locale } : {}) }];
      const served = await server.renderScene({ template, brand: null, elements }, 0);
      const res = await page.evaluate(async (input) => (globalThis as unknown as { fidelity: Harness }).fidelity.render(input), { template, brand: null, elements, sceneIndex: 0, scale: 1 });
      const theirs = await rgba(Buffer.from(res.png.slice(res.png.indexOf(',') + 1), 'base64'));
      const share = differing(await rgba(served.bytes), theirs);
      console.log(`fidelity ${JSON.stringify(h.content.slice(0, 24))}${h.locale ? ` (${h.locale})` : ''}: ${(share * 100).toFixed(3)} % differ`);
      expect(served.warnings, h.content).toEqual([]);
      expect(share, h.content).toBeLessThanOrEqual(MAX_DIFFERING);
      expect((await fetched()).some((n) => h.file.test(n)), `${h.content}: the browser loaded ${String(h.file)}`).toBe(true);
    }
  });

  it("a brand's own font file (an upload) draws the same in the browser and on the server", async () => {
    const fontPath = path.resolve('node_modules/@fontsource/playfair-display/files/playfair-display-latin-700-normal.woff2');
    const bytes = fs.readFileSync(fontPath);
    const boundary = 'xxFONTxx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="house.woff2"\r\ncontent-type: font/woff2\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: TOKEN, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(up.statusCode).toBe(201);
    const url = up.json().url as string;
    const brand = structuredClone(publicBrands().find((b) => b.id === '122')!);
    brand.fonts.files = [{ family: 'House Sans', weight: 700, src: url }];
    brand.fonts.heading = { family: 'House Sans', weight: 700 };
    const template = publicTemplate('1062')!;
    const own = new Renderer({ textRenderer: 'system', fetchRemote: async (u) => (u === url ? new Uint8Array(bytes) : Promise.reject(new Error(`unexpected ${u}`))) });
    const ours = await own.renderScene({ template, brand, elements: [] }, 0);
    expect(ours.warnings.join('\n')).not.toMatch(/House Sans/);
    const theirs = await browserRender(template, brand, 0);
    const share = differing(await rgba(ours.bytes), await rgba(theirs.bytes));
    // And it is the brand's file that draws: the same scene with the brand's usual heading font differs.
    const usual = differing(await rgba(ours.bytes), await rgba((await server.renderScene({ template, brand: publicBrands().find((b) => b.id === '122')!, elements: [] }, 0)).bytes));
    console.log(`fidelity brand-owned font: ${(share * 100).toFixed(3)} % differ (vs the brand's usual font: ${(usual * 100).toFixed(3)} %)`);
    expect(share).toBeLessThanOrEqual(MAX_DIFFERING);
    expect(usual).toBeGreaterThan(MAX_DIFFERING);
  });

  it('resizing a logo through many sizes (each a new resvg raster, older ones dropped) still draws what the server draws', async () => {
    const brand = publicBrands().find((b) => b.id === '121')!;
    let template = publicTemplate('1062')!;
    for (let step = 0; step < 12; step++) {
      template = structuredClone(template);
      const logo = template.scenes[0]!.elements.find((e) => e.layer_type === 'logo')!;
      logo.box.width += 7;
      logo.box.height += 2;
      await browserRender(template, brand, 0);
    }
    const ours = await rgba((await server.renderScene({ template, brand, elements: [] }, 0)).bytes);
    const share = differing(ours, await rgba((await browserRender(template, brand, 0)).bytes));
    console.log(`fidelity after 12 logo sizes: ${(share * 100).toFixed(3)} % differ`);
    expect(share).toBeLessThanOrEqual(MAX_DIFFERING);
  });

  it('the comparison fails for a heading moved by 2 px, and for a heading in another font', async () => {
    const template = publicTemplate('1062')!;
    const brand = publicBrands().find((b) => b.id === '120')!;
    const scene = 5; // the 300×250 medium rectangle
    const reference = await rgba((await server.renderScene({ template, brand, elements: [] }, scene)).bytes);
    const moved = structuredClone(template);
    moved.scenes[scene]!.elements.find((e) => e.content_type === 'Heading #1')!.box.x += 2;
    const otherFont = structuredClone(brand);
    otherFont.fonts.heading = { ...otherFont.fonts.heading, family: otherFont.fonts.heading.family === 'Inter' ? 'Lato' : 'Inter' };
    for (const [what, t, b] of [['moved 2 px', moved, brand], ['in another font', template, otherFont]] as const) {
      const share = differing(reference, await rgba((await browserRender(t, b, scene)).bytes));
      console.log(`fidelity control (heading ${what}): ${(share * 100).toFixed(3)} % differ`);
      expect(share, `heading ${what}`).toBeGreaterThan(MAX_DIFFERING);
    }
  });
});
