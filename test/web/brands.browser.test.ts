import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { Adsmith } from '../../src/client/index.js';
import { startServer, type TestServer } from '../client/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const require = createRequire(import.meta.url);
/** A display face nothing in the fallback chain looks like: all capitals, condensed. */
const FONT = fs.readFileSync(path.join(path.dirname(require.resolve('@fontsource/bebas-neue/package.json')), 'files', 'bebas-neue-latin-400-normal.woff2'));
/** A logo of one colour no template or photo has, filling its 4:1 box. */
const MAGENTA = [255, 0, 255] as const;
const LOGO_SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 60"><rect width="240" height="60" fill="#ff00ff"/></svg>');
/** Template 1062's first scene: where its heading and its primary logo are drawn. */
const HEADING_BOX = { x: 72, y: 190, width: 470, height: 330 };
const LOGO_BOX = { x: 72, y: 72, width: 240, height: 60 };
const UPLOAD_LIMIT = 1024 * 1024;

/**
 * The brand kit editor at /brands in real Chromium against a real server: duplicate a public brand,
 * upload a font and an SVG logo, save; generate through the API with that brand and find the font's
 * glyphs and the logo's pixels in the PNG. Also the contrast warning and refused uploads' messages.
 */
let api: TestServer;
let browser: Browser;
let templateId = 0;

beforeAll(async () => {
  // A 1 MiB upload limit, so an oversized file is quick to make.
  api = await startServer({ workers: 1, uploadLimit: UPLOAD_LIMIT });
  // A private template takes private brands: the first scene of 1062 (1080×1080), as the organisation's own.
  const { id: _id, ...doc } = publicTemplate('1062')!;
  const res = await fetch(`${api.url}/v1/ads/templates`, {
    method: 'POST',
    headers: { api_token: api.token, 'content-type': 'application/json' },
    body: JSON.stringify({ ...doc, name: 'One square', scenes: doc.scenes.slice(0, 1) }),
  });
  if (res.status !== 201) throw new Error(`could not create the template: ${res.status} ${await res.text()}`);
  templateId = ((await res.json()) as { id: number }).id;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function openPage(width: number): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  await context.addInitScript(`localStorage.setItem('adsmith.playground.token', ${JSON.stringify(api.token)})`);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Refused uploads answer 4xx and one save is cut off on purpose; anything else logged as an error is a defect.
    if (m.type() === 'error' && !/status of 4\d\d|ERR_CONNECTION_RESET/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  // Another test run's global setup may be rebuilding dist/web this moment (the page answers 503 "not built"): wait it out.
  let res = await page.goto(`${api.url}/brands`);
  for (let tries = 0; res?.status() === 503 && tries < 30; tries++) {
    await new Promise((r) => setTimeout(r, 1000));
    problems.length = 0; // what the 503 answer logged is not this page's; the next load's errors count
    res = await page.goto(`${api.url}/brands`);
  }
  expect(res?.status()).toBe(200);
  // The page runs under the tool pages' CSP (its own origin only, framed by no other site).
  expect(res?.headers()['content-security-policy']).toMatch(/^default-src 'self';.*frame-ancestors 'self'/);
  return { page, problems };
}

/** Share of a box's pixels within `tolerance` of a colour. */
async function shareOf(png: Uint8Array, box: typeof LOGO_BOX, rgb: readonly number[], tolerance = 24): Promise<number> {
  const { data, info } = await sharp(png).extract({ left: box.x, top: box.y, width: box.width, height: box.height }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let hits = 0;
  for (let i = 0; i < data.length; i += info.channels) if (Math.abs(data[i]! - rgb[0]!) + Math.abs(data[i + 1]! - rgb[1]!) + Math.abs(data[i + 2]! - rgb[2]!) <= tolerance) hits++;
  return hits / (info.width * info.height);
}

/** Share of a box's pixels that differ (by more than a rounding step) between two PNGs. */
async function differing(a: Uint8Array, b: Uint8Array, box: typeof HEADING_BOX): Promise<number> {
  const raw = (png: Uint8Array) => sharp(png).extract({ left: box.x, top: box.y, width: box.width, height: box.height }).removeAlpha().raw().toBuffer();
  const [pa, pb] = await Promise.all([raw(a), raw(b)]);
  let diff = 0;
  for (let i = 0; i < pa.length; i += 3) if (Math.abs(pa[i]! - pb[i]!) + Math.abs(pa[i + 1]! - pb[i + 1]!) + Math.abs(pa[i + 2]! - pb[i + 2]!) > 12) diff++;
  return diff / (pa.length / 3);
}

describe('the brand kit editor at /brands', () => {
  it('uploads a font and an SVG logo, saves the brand; the next generate draws that font and that logo', async () => {
    const { page, problems } = await openPage(1440);
    await page.getByRole('button', { name: 'Duplicate Parity' }).click();
    await page.locator('#brand-name').fill('Acme');

    // Font: its face previewed in the page, its scripts read from its cmap, its family renamed and bound to headings.
    await page.setInputFiles('#font-upload', { name: 'acme-display.woff2', mimeType: 'font/woff2', buffer: FONT });
    const fontRow = page.getByTestId('font-file');
    await expect.poll(() => fontRow.getByTestId('scripts').textContent(), { timeout: 20_000 }).toContain('Latin');
    expect(await fontRow.getByTestId('scripts').textContent()).not.toContain('Cyrillic');
    await expect.poll(() => fontRow.locator('.font-file__sample').getAttribute('data-state')).toBe('loaded');
    // The sample is set in the uploaded face, registered with the page's FontFace set.
    const sampleFamily = (await page.evaluate("getComputedStyle(document.querySelector('.font-file__sample')).fontFamily")) as string;
    const face = sampleFamily.split(',')[0]!.replace(/"/g, '').trim();
    expect(face).toMatch(/^adsmith-brand-preview-\d+$/);
    expect(await page.evaluate(`[...document.fonts].filter((f) => f.family.replace(/"/g, '') === ${JSON.stringify(face)}).map((f) => f.status)`)).toEqual(['loaded']);
    await fontRow.getByLabel('Family').fill('Acme Display');
    await page.locator('#font-heading').selectOption('Acme Display');

    // Logo: the primary logo's two variants, each shown on a light and a dark ground.
    for (const variant of ['on_light', 'on_dark']) {
      await page.setInputFiles(`#logo-primary-${variant}`, { name: `acme-${variant}.svg`, mimeType: 'image/svg+xml', buffer: LOGO_SVG });
      const card = page.getByTestId(`logo-primary-${variant}`);
      await expect.poll(() => card.locator('.logo-variant__src').textContent(), { timeout: 20_000 }).toContain('uploaded file');
      await expect.poll(() => card.locator('.ground[data-state="drawn"]').count(), { timeout: 20_000 }).toBe(2);
    }
    // The preview draws every scene of the chosen template with the draft.
    await page.locator('#preview-template').selectOption(String(templateId));
    await expect.poll(() => page.getByTestId('preview').getAttribute('data-state'), { timeout: 60_000 }).toBe('drawn');
    await page.screenshot({ path: '/tmp/brands-desktop.png', fullPage: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: '/tmp/brands-desktop-top.png' });
    // The heading role asks for 600 and the brand's only file is 400: the page says which is used.
    expect(await page.getByTestId('font-heading-note').textContent()).toBe('This brand has no "Acme Display" file at weight 600: the nearest, 400, is used.');
    // No serious or critical accessibility violations (axe-core) on the filled-in editor.
    // Evaluated, not added as a script tag: the page's CSP refuses inline scripts.
    await page.evaluate(fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const violations = (await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))`,
    )) as Array<{ id: string; impact: string; nodes: string[] }>;
    expect(violations).toEqual([]);

    await page.getByRole('button', { name: 'Create brand' }).click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).toMatch(/Saved as brand #\d+, version 1/);
    const brandId = Number(/#(\d+)/.exec((await page.getByTestId('save-status').textContent())!)![1]);
    expect(problems).toEqual([]);

    // The saved document names the uploaded files.
    const client = new Adsmith({ apiKey: api.token, baseUrl: api.url });
    const saved = (await client.brands.document(brandId)).document as { fonts: { heading: { family: string }; files: Array<{ family: string; src: string }> }; logos: { primary: { on_light: string; on_dark: string } } };
    expect(saved.fonts.heading.family).toBe('Acme Display');
    expect(saved.fonts.files).toHaveLength(1);
    expect(saved.fonts.files[0]!.src).toMatch(/\/v1\/files\//);
    expect(saved.logos.primary.on_light).toMatch(/\/v1\/files\//);

    // The same brand without the font file: the heading falls back to the shipped chain.
    const { files: _files, ...fontsWithout } = saved.fonts;
    const without = await client.brands.create({ ...(saved as object), id: undefined, name: 'Acme without its font', fonts: fontsWithout } as object);
    const elements = [{ content_type: 'Heading #1', content: 'Summer glow' }];
    const [withFont, withoutFont] = await Promise.all([
      client.generate({ template_id: String(templateId), brand_id: String(brandId), elements }),
      client.generate({ template_id: String(templateId), brand_id: String(without.id), elements }),
    ]);
    const a = await withFont.scenes[0]!.bytes();
    const b = await withoutFont.scenes[0]!.bytes();
    fs.writeFileSync('/tmp/brands-generated-with-font.png', a);
    fs.writeFileSync('/tmp/brands-generated-without-font.png', b);
    const headingDiff = await differing(a, b, HEADING_BOX);
    expect(headingDiff).toBeGreaterThan(0.02);
    // Outside the heading (the body copy, set in the body font) nothing changed.
    expect(await differing(a, b, { x: 72, y: 540, width: 380, height: 170 })).toBe(0);
    expect(await shareOf(a, LOGO_BOX, MAGENTA)).toBeGreaterThan(0.8);
    expect(await shareOf(b, LOGO_BOX, MAGENTA)).toBeGreaterThan(0.8);

    // Versions: a new primary colour is version 2; loading version 1 and saving restores it as version 3.
    await page.locator('#color-primary').fill('#123456');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).toMatch(/version 2\.$/);
    await page.getByLabel('Version').selectOption('1');
    await expect.poll(() => page.locator('#color-primary').inputValue()).toBe('#8366FF');
    expect(await page.locator('.savebar__meta').textContent()).toContain('version 1 of 2, saving restores it as version 3');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).toMatch(/version 3\.$/);
    const v3 = (await client.brands.document(brandId)) as unknown as { version: number; document: { colors: { primary: string }; fonts: { heading: { family: string } } } };
    expect([v3.version, v3.document.colors.primary, v3.document.fonts.heading.family]).toEqual([3, '#8366FF', 'Acme Display']);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('warns below 4.5:1 for text on background, and names the file and the rule of a refused upload', async () => {
    const { page, problems } = await openPage(390);
    await page.getByRole('button', { name: 'Duplicate Parity' }).click();
    const onBackground = page.getByTestId('contrast').filter({ hasText: 'Text on background' });
    await expect.poll(() => onBackground.getAttribute('class')).not.toContain('--warn');
    // A text colour close to the dark background: 1.4:1.
    await page.locator('#color-text').fill('#2A2640');
    await expect.poll(() => onBackground.getAttribute('class')).toContain('contrast__item--warn');
    expect(await onBackground.textContent()).toMatch(/Text on background: 1\.\d+:1 below 4\.5:1/);
    await page.screenshot({ path: '/tmp/brands-narrow-contrast.png', fullPage: false });

    // Text uploaded as a font: the server sniffs it and refuses, naming the file and what is accepted.
    await page.setInputFiles('#font-upload', { name: 'not-a-font.ttf', mimeType: 'font/ttf', buffer: Buffer.from('this is plain text, not a font') });
    const problem = page.locator('#font-upload-problem');
    await expect.poll(() => problem.textContent(), { timeout: 20_000 }).toContain('"not-a-font.ttf"');
    expect(await problem.textContent()).toMatch(/TTF, OTF, WOFF, WOFF2/);
    // A PNG named like a font is stored as a PNG: refused (and deleted) for the font slot.
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer();
    await page.setInputFiles('#font-upload', { name: 'sneaky.otf', mimeType: 'font/otf', buffer: png });
    await expect.poll(() => problem.textContent(), { timeout: 20_000 }).toBe('"sneaky.otf" was not used: its bytes are image/png, and a font must be a TTF, OTF, WOFF or WOFF2 file.');
    // A broken SVG logo: the server's decoder refuses it.
    await page.setInputFiles('#logo-icon-on_dark', { name: 'broken.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="') });
    await expect.poll(() => page.locator('#logo-icon-on_dark-problem').textContent(), { timeout: 20_000 }).toMatch(/^The uploaded file "broken\.svg" cannot be used: it does not decode as a SVG image \(.+\); export it again/);
    // A file over the server's upload limit.
    // Noise does not compress: 800×800 RGB is about 1.9 MB as PNG.
    const big = await sharp(randomBytes(800 * 800 * 3), { raw: { width: 800, height: 800, channels: 3 } }).png().toBuffer();
    expect(big.byteLength).toBeGreaterThan(UPLOAD_LIMIT);
    await page.setInputFiles('#logo-icon-on_dark', { name: 'big.png', mimeType: 'image/png', buffer: big });
    await expect.poll(() => page.locator('#logo-icon-on_dark-problem').textContent(), { timeout: 20_000 }).toBe(`"big.png" is too large: The uploaded file is larger than the limit of ${UPLOAD_LIMIT} bytes. Send a smaller file.`);
    // A picked file of the wrong kind is refused by its name before it is sent.
    await page.setInputFiles('#logo-icon-on_dark', { name: 'logo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await expect.poll(() => page.locator('#logo-icon-on_dark-problem').textContent()).toBe('"logo.gif" was not uploaded: a logo must be an SVG or PNG image.');
    await page.locator('#font-upload-problem').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/brands-narrow-errors.png' });
    await page.locator('#logo-icon-on_dark-problem').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/brands-narrow-logos.png' });
    // Nothing refused was kept: the draft names no uploaded file.
    expect(await page.getByTestId('font-file').count()).toBe(0);
    const files = (await (await fetch(`${api.url}/v1/files`, { headers: { api_token: api.token } })).json()) as Array<{ filename: string }>;
    expect(files.map((f) => f.filename)).not.toContain('sneaky.otf');

    // Leaving a brand with unsaved changes asks first; dismissing keeps the draft.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Duplicate Voltra' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/unsaved changes/);
    expect(await page.locator('#color-text').inputValue()).toBe('#2A2640');

    // A save that does not reach the server leaves everything as it was: the draft, still unsaved, and no brand.
    const listBrands = async () => ((await (await fetch(`${api.url}/v1/ads/brands`, { headers: { api_token: api.token } })).json()) as unknown[]).length;
    const before = await listBrands();
    await page.route('**/v1/ads/brands', (route) => (route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue()));
    await page.getByRole('button', { name: 'Create brand' }).click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).toMatch(/^Not saved; the brand is unchanged: /);
    expect(await page.locator('.savebar__dirty').count()).toBe(1);
    expect(await listBrands()).toBe(before);
    await page.unroute('**/v1/ads/brands');

    // Files uploaded for a draft that is then discarded are deleted again.
    await page.setInputFiles('#logo-icon-on_dark', { name: 'discarded.svg', mimeType: 'image/svg+xml', buffer: LOGO_SVG });
    await expect.poll(() => page.getByTestId('logo-icon-on_dark').locator('.logo-variant__src').textContent(), { timeout: 20_000 }).toContain('uploaded file');
    const fileNames = async () => ((await (await fetch(`${api.url}/v1/files`, { headers: { api_token: api.token } })).json()) as Array<{ filename: string }>).map((f) => f.filename);
    expect(await fileNames()).toContain('discarded.svg');
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(fileNames).not.toContain('discarded.svg');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
