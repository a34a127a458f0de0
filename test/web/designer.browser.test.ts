import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBrand } from '../../src/assets/index.js';
import type { Box, TemplateDocument } from '../../src/engine/model/template.js';
import { startServer, type TestServer } from '../client/server.js';

/**
 * The template designer at /designer in real Chromium against a real server
 * (real engine in the page and in the render threads): a two-scene template
 * made through the UI, saved, and generated through the API with a private
 * brand (the PNGs' pixels show the heading and the logo in their boxes);
 * resize-to-all from 1080×1080; restoring version 1.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const SHOTS = process.env['DESIGNER_SHOTS'] ?? '/tmp';
/** The private brand's text colour (the heading) and its logo: a solid green bar, so their pixels are told apart. */
const TEXT = [0xe0, 0x11, 0x5f] as const;
const LOGO = [0x00, 0xa8, 0x6b] as const;
const LOGO_SVG = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100"><rect width="400" height="100" fill="#00A86B"/></svg>').toString('base64')}`;

let api: TestServer;
let browser: Browser;
let brandId: number;

beforeAll(async () => {
  api = await startServer({ workers: 1 });
  const { id: _id, ...base } = publicBrand('167')!;
  const brand = {
    ...base,
    name: 'Designer test brand',
    colors: { ...base.colors, text: '#E0115F', background: '#FFFFFF' },
    logos: { primary: { on_light: LOGO_SVG, on_dark: LOGO_SVG }, icon: { on_light: LOGO_SVG, on_dark: LOGO_SVG } },
  };
  const res = await fetch(`${api.url}/v1/ads/brands`, { method: 'POST', headers: { api_token: api.token, 'content-type': 'application/json' }, body: JSON.stringify(brand) });
  if (res.status !== 201) throw new Error(`could not create the private brand: ${res.status} ${await res.text()}`);
  brandId = ((await res.json()) as { id: number }).id;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function openDesigner(width = 1440, height = 960): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  // Other test runs on this machine rebuild dist/web (emptied first): a 503 "not built", or an asset gone
  // mid-load, passes within seconds. Errors are collected from the first load that shows the page.
  let res = null;
  for (let i = 0; i < 20; i++) {
    res = await page.goto(`${api.url}/designer`);
    if (res?.status() === 200 && (await page.getByLabel('API token').count().catch(() => 0)) > 0) break;
    await page.waitForTimeout(1000);
  }
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs the deliberate refusals of another organisation's file (the save's 400, the image's 422); anything else is a defect.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (?:400|422)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.getByLabel('API token').fill(api.token);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('button', { name: 'Create' }).waitFor();
  return { page, problems };
}

async function addElements(page: Page, kinds: string[]): Promise<void> {
  for (const kind of kinds) await page.locator('.d-add-grid button', { hasText: new RegExp(`^${kind}$`) }).click();
}

/** Waits until the engine has drawn the current document and the diagnostics ran for it. */
/** The running designer the page exposes (in-page code runs as functions: the page's CSP forbids evaluating strings). */
type Exposed = { designer?: { store: { rendered: { value: unknown }; template: { value: TemplateDocument } }; runner: { run(): Promise<void> } } };

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as Exposed).designer?.store.rendered.value != null, null, { timeout: 30_000 });
  await page.evaluate(() => (globalThis as unknown as Exposed).designer!.runner.run());
}

async function templateIn(page: Page): Promise<TemplateDocument> {
  return page.evaluate(() => (globalThis as unknown as Exposed).designer!.store.template.value);
}

async function savedTemplate(id: number): Promise<{ version: number; document: TemplateDocument }> {
  const res = await fetch(`${api.url}/v1/ads/templates/${id}/document`, { headers: { api_token: api.token } });
  expect(res.status).toBe(200);
  return (await res.json()) as { version: number; document: TemplateDocument };
}

async function generate(id: number): Promise<PNG[]> {
  const res = await fetch(`${api.url}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: api.token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: String(id), brand_id: String(brandId), sync: true, elements: [{ content_type: 'Heading #1', content: 'Fresh deals' }] }),
  });
  expect(res.status).toBe(200);
  const { result } = (await res.json()) as { result: Array<{ url: string }> };
  return Promise.all(
    result.map(async ({ url }) => {
      for (let i = 0; i < 100; i++) {
        const png = await fetch(url);
        if (png.status === 200) return PNG.sync.read(Buffer.from(await png.arrayBuffer()));
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${url} never answered 200`);
    }),
  );
}

async function streamText(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Pixels of `png` within `box` (or outside it, when `outside`) that are within 40 of `rgb` on every channel. */
function count(png: PNG, box: Box, rgb: readonly number[], outside = false): number {
  let n = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const inBox = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
      if (inBox === outside) continue;
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i]! - rgb[0]!) <= 40 && Math.abs(png.data[i + 1]! - rgb[1]!) <= 40 && Math.abs(png.data[i + 2]! - rgb[2]!) <= 40) n++;
    }
  }
  return n;
}

function expectHeadingAndLogo(png: PNG, doc: TemplateDocument, sceneIndex: number): void {
  const scene = doc.scenes[sceneIndex]!;
  expect([png.width, png.height]).toEqual([scene.width, scene.height]);
  const heading = scene.elements.find((e) => e.content_type === 'Heading #1')!;
  const logo = scene.elements.find((e) => e.layer_type === 'logo')!;
  const area = (b: Box) => b.width * b.height;
  // The heading's letters in the brand's text colour, inside its box and nowhere else.
  expect(count(png, heading.box, TEXT)).toBeGreaterThan(area(heading.box) * 0.02);
  expect(count(png, heading.box, TEXT, true)).toBeLessThan(area(heading.box) * 0.002 + 4);
  // The logo's green fills much of its box (contained, aspect kept) and appears nowhere else.
  expect(count(png, logo.box, LOGO)).toBeGreaterThan(area(logo.box) * 0.3);
  expect(count(png, logo.box, LOGO, true)).toBeLessThan(area(logo.box) * 0.02 + 4);
}

describe('the template designer at /designer', () => {
  it('makes a two-scene template with a heading, an image and a logo, saves it, and generate draws them in their boxes; restoring version 1 renders version 1', async () => {
    const { page, problems } = await openDesigner();
    await page.getByLabel('Name').fill('Round trip');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#preview-brand').selectOption(String(brandId));
    await addElements(page, ['Text', 'Image', 'Logo']);
    await page.getByRole('tab', { name: '1080×1080' }).waitFor();
    await page.getByRole('button', { name: '+ Scene' }).click();
    await page.getByRole('form', { name: 'Add a scene' }).locator('select').selectOption('300x250');
    await page.getByRole('button', { name: 'Add scene' }).click();
    await addElements(page, ['Text', 'Image', 'Logo']);
    // The heading's default text, typed in the editor's Properties panel.
    await page.locator('.layer-name', { hasText: 'Heading' }).click();
    await page.getByRole('textbox', { name: 'Text', exact: true }).fill('Small heading');
    await settle(page);
    // Slots as the UI set them.
    const made = await templateIn(page);
    expect(made.scenes.map((s) => [s.width, s.height, s.elements.map((e) => e.content_type)])).toEqual([
      [1080, 1080, ['Heading #1', 'Image #1', 'Logo #1']],
      [300, 250, ['Heading #1', 'Image #1', 'Logo #1']],
    ]);
    await page.screenshot({ path: path.join(SHOTS, 'designer-300x250.png') });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 20_000 }).toMatch(/^Saved as version 1 of template \d+\.$/);
    const id = Number(/template (\d+)/.exec((await page.locator('.status').textContent())!)![1]);
    expect(page.url()).toContain(`?template=${id}`);

    const v1 = await savedTemplate(id);
    expect(v1.version).toBe(1);
    expect(v1.document.scenes[1]!.elements.find((e) => e.layer_type === 'text')!.content).toBe('Small heading');
    const pngs = await generate(id);
    expect(pngs).toHaveLength(2);
    expectHeadingAndLogo(pngs[0]!, v1.document, 0);
    expectHeadingAndLogo(pngs[1]!, v1.document, 1);

    // Version 2: the logo of the first scene deleted.
    await page.getByRole('tab', { name: '1080×1080' }).click();
    await page.locator('.layer-name', { hasText: 'Logo' }).click();
    await page.locator('.stage-overlay').focus();
    await page.keyboard.press('Delete');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 20_000 }).toMatch(/^Saved as version 2 /);
    const v2pngs = await generate(id);
    expect(count(v2pngs[0]!, { x: 0, y: 0, width: 1080, height: 1080 }, LOGO)).toBe(0);

    // Restore version 1: stored as version 3, and generate draws the logo again.
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.locator('.d-versions li[data-version="1"]').getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 20_000 }).toBe('Version 1 restored as version 3.');
    const v3 = await savedTemplate(id);
    expect(v3.version).toBe(3);
    expect(v3.document.scenes).toEqual(v1.document.scenes);
    const restored = await generate(id);
    expectHeadingAndLogo(restored[0]!, v3.document, 0);
    expect(await page.locator('.d-bar .muted').textContent()).toBe(`#${id} · v3`);
    // Opening version 2 shows it (scene 1 without its logo) as unsaved work against the latest.
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.locator('.d-versions li[data-version="2"]').getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('.status').textContent()).toMatch(/^Showing version 2\./);
    expect(await page.locator('.layer-name', { hasText: 'Logo' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('proposes 728×90 and 160×600 from a 1080×1080 scene with every element inside its scene and every text fitting', async () => {
    const { page, problems } = await openDesigner();
    await page.getByRole('button', { name: 'Create' }).click();
    await addElements(page, ['Text', 'Image', 'Logo']);
    await settle(page);
    await page.getByRole('button', { name: 'Resize to all…' }).click();
    await page.getByRole('button', { name: 'Propose layouts' }).click();
    await expect.poll(() => page.locator('.d-tab').count()).toBe(11);
    await settle(page);
    const template = await templateIn(page);
    for (const [w, h] of [[728, 90], [160, 600]] as const) {
      const scene = template.scenes.find((s) => s.width === w && s.height === h)!;
      expect(scene.elements.map((e) => e.layer_type).sort()).toEqual(['image', 'logo', 'text']);
      for (const el of scene.elements) {
        expect(el.box.x, `${el.id} left`).toBeGreaterThanOrEqual(0);
        expect(el.box.y, `${el.id} top`).toBeGreaterThanOrEqual(0);
        expect(el.box.x + el.box.width, `${el.id} right`).toBeLessThanOrEqual(w);
        expect(el.box.y + el.box.height, `${el.id} bottom`).toBeLessThanOrEqual(h);
      }
      const index = template.scenes.indexOf(scene);
      const verdicts = await page.locator(`.d-fit[data-scene="${index}"]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
      expect(verdicts.length).toBe(1);
      for (const v of verdicts) expect(['fits', 'shrunk']).toContain(v);
      await page.getByRole('tab', { name: `${w}×${h}` }).click();
      await settle(page);
      // The canvas shows this scene as the engine drew it: its size, and more than the white background.
      const drawn = await page.locator('.stage-canvas').evaluate(async (c) => {
        await new Promise((r) => setTimeout(r, 300));
        const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) ink++;
        return { ratio: canvas.width / canvas.height, ink: ink / (d.length / 4) };
      });
      expect(drawn.ratio).toBeCloseTo(w / h, 1);
      expect(drawn.ink).toBeGreaterThan(0.05);
      await page.screenshot({ path: path.join(SHOTS, `designer-resized-${w}x${h}.png`) });
    }
    // Narrow screens: the panels stack under the canvas.
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'designer-narrow.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names the element and field of an invalid template, exports and imports JSON with clear refusals, shows stress content in the diagnostics, and asks before leaving unsaved work', async () => {
    const { page, problems } = await openDesigner(1280, 900);
    await page.getByRole('form', { name: 'Start size' }).locator('select').selectOption('300x250');
    await page.getByRole('button', { name: 'Create' }).click();
    await addElements(page, ['Text']);
    await settle(page);
    const row = page.locator('.d-fit[data-id="text-1"]');
    await expect.poll(() => row.getAttribute('data-verdict')).toBe('fits');
    const fitted = Number((await row.locator('td').nth(2).textContent())!.split(' ')[0]);

    // Stress content: a long heading is shrunk or shortened, as the engine sets it.
    await page.locator('#preview-content').selectOption('long');
    await expect.poll(() => row.getAttribute('data-verdict')).not.toBe('fits');
    expect(Number((await row.locator('td').nth(2).textContent())!.split(' ')[0])).toBeLessThan(fitted);
    await page.locator('#preview-content').selectOption('template');

    // A minimum size above the maximum: not saved, and the problem names the scene, element and field, the element selected.
    await page.locator('.layer-name', { hasText: 'Heading' }).click();
    await page.getByLabel('Min size px').fill('500');
    await page.getByLabel('Min size px').press('Tab');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.d-problem').textContent()).toMatch(
      /^Scene 1 \(Medium rectangle 300×250\), element "Heading" \(text-1\), style\.font_size\.min: must not exceed font_size\.max \(\d+\)\./,
    );
    expect(await page.locator('.layer.is-selected').count()).toBe(1);
    await page.getByLabel('Min size px').fill('10');
    await page.getByLabel('Min size px').press('Tab');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 20_000 }).toMatch(/^Saved as version 1 /);

    // A refusal only the server can make (a file of another organisation): shown with the element and field it names.
    const other = await api.newOrg('pro', 'elsewhere');
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(path.join(ROOT, 'src/assets/images/product.png'))], { type: 'image/png' }), 'theirs.png');
    const theirs = (await (await fetch(`${api.url}/v1/files`, { method: 'POST', headers: { api_token: other.token }, body: form })).json()) as { url: string };
    await addElements(page, ['Image']);
    await page.getByLabel('Or an image address').fill(theirs.url);
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.d-problem').textContent(), { timeout: 20_000 }).toMatch(/^Scene 1 \(Medium rectangle 300×250\), element "Image" \(image-1\), content: /);
    expect(await page.locator('.status').textContent()).toMatch(/^Not saved: Scene 1 .*Your work is kept here\.$/);
    await page.locator('.stage-overlay').focus();
    await page.keyboard.press('Delete');

    // Export: the document as saved.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = JSON.parse(await streamText(await download.createReadStream())) as TemplateDocument;
    expect(exported.scenes[0]!.elements.map((e) => e.id)).toEqual(['text-1']);

    // Imports: not JSON, an invalid field, then a valid one.
    await page.setInputFiles('#import-json', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"scenes": [') });
    await expect.poll(() => page.locator('.status').textContent()).toMatch(/^broken\.json is not JSON \(/);
    const bad = structuredClone(exported);
    bad.scenes[0]!.elements[0]!.box.height = -5;
    await page.setInputFiles('#import-json', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await expect.poll(() => page.locator('.status').textContent()).toBe('bad.json is not a valid template: Scene 1 (Medium rectangle 300×250), element "Heading" (text-1), box.height: must be > 0.');
    const good = { ...structuredClone(exported), name: 'Imported' };
    good.scenes.push({ ...structuredClone(good.scenes[0]!), name: 'Second', width: 320, height: 50, elements: [] });
    await page.setInputFiles('#import-json', { name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await expect.poll(() => page.locator('.d-tab').allTextContents()).toEqual(['300×250', '320×50']);
    expect(await page.locator('#tpl-name').inputValue()).toBe('Imported');
    expect(await page.locator('.status').textContent()).toMatch(/^Imported good\.json: 2 scene\(s\)\. Save to store it\.$/);

    // Unsaved work: leaving for the list asks (dismissed: still here), and so does closing the page.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.type());
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Templates' }).click();
    expect(asked).toEqual(['confirm']);
    expect(await page.locator('.d-tab').count()).toBe(2);
    // Leaving the page (a navigation runs beforeunload): the dialog, dismissed, keeps the work.
    const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    const leaving = page.goto('about:blank').catch((e: Error) => e.message);
    expect(await dialog).toBe('beforeunload');
    expect(await leaving).toMatch(/ERR_ABORTED/);
    expect(await page.locator('#tpl-name').inputValue()).toBe('Imported');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('duplicates a public template as a private one, binds the scene background to a brand role, saves it, lists it and opens it again', async () => {
    const { page, problems } = await openDesigner();
    await page.locator('.d-list li', { hasText: '#1062' }).getByRole('button', { name: 'Duplicate as private' }).click();
    await settle(page);
    const scenes = (await templateIn(page)).scenes.length;
    expect(scenes).toBeGreaterThan(1);
    await expect.poll(() => page.locator('.d-tab').count()).toBe(scenes);
    expect(await page.locator('#tpl-name').inputValue()).toBe('Brand spotlight (copy)');
    await page.locator('#scene-bg').selectOption('brand.primary');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 20_000 }).toMatch(/^Saved as version 1 of template \d+\.$/);
    const id = Number(/template (\d+)/.exec((await page.locator('.status').textContent())!)![1]);
    expect((await savedTemplate(id)).document.scenes[0]!.background).toEqual({ type: 'color', color: 'brand.primary' });
    // Saved: back to the list without a question; the copy is listed as the organisation's own and opens again.
    await page.getByRole('button', { name: 'Templates' }).click();
    const mine = page.locator('.d-list li', { hasText: `#${id}` });
    await mine.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('.d-tab').count()).toBe(scenes);
    expect(await page.locator('#scene-bg').inputValue()).toBe('brand.primary');
    expect(page.url()).toContain(`?template=${id}`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
