import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import type { Scene, TemplateDocument } from '../../src/engine/model/template.js';
import { Renderer } from '../../src/node/render.js';
import { startServer, type TestServer } from '../client/server.js';

/**
 * The editor in real Chromium, inside a host page on a second loopback origin
 * that embeds editor_iframe from a real generate (real server, real engine on
 * both sides): drag, type in place, undo/redo, save, and check the saved PNG's
 * pixels; beforeunload; axe-core; keyboard reach.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const HEADING = { x: 72, y: 190, width: 470, height: 330 };

let api: TestServer;
let host: { origin: string; close: () => Promise<void> };
let browser: Browser;

/** The host page: embeds the editor given as ?src= and records every message it receives, with its origin. */
const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host app</title>
<style>body{margin:0;font:14px system-ui}header{height:40px;display:flex;align-items:center;padding:0 12px;background:#222;color:#fff}iframe{border:0;width:100%;height:calc(100vh - 40px);display:block}</style></head>
<body><header>Host application</header><iframe id="ed" title="Ad editor"></iframe>
<script>
  window.received = [];
  addEventListener('message', (e) => { window.received.push({ origin: e.origin, data: e.data }); });
  document.getElementById('ed').src = new URLSearchParams(location.search).get('src');
</script></body></html>`;

function listen(server: http.Server): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  const site = http.createServer((req, res) => {
    if ((req.url ?? '/').startsWith('/host')) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOST_PAGE);
    res.writeHead(404).end();
  });
  const port = await listen(site);
  host = { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => site.close(() => r())) };
  // Only the host page's origin may frame the editor and talk to it.
  api = await startServer({ workers: 1, editorFrameAncestors: [host.origin] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await host?.close();
});

async function generate(): Promise<Array<{ url: string; editor_iframe: string }>> {
  const res = await fetch(`${api.url}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: api.token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: '1062', brand_id: '167', sync: true, elements: [{ content_type: 'Heading #1', content: 'Summer sale' }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: Array<{ url: string; editor_iframe: string }> }).result;
}

async function openInHost(link: string): Promise<{ page: Page; frame: Frame }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${host.origin}/host?src=${encodeURIComponent(link)}`);
  await page.waitForFunction(`window.received.some((m) => m.data?.type === 'adsmith:ready')`, null, { timeout: 30_000 });
  const frame = page.frames().find((f) => f.url().startsWith(`${api.url}/editor/`))!;
  expect(frame).toBeTruthy();
  expect(errors).toEqual([]);
  return { page, frame };
}

async function received(page: Page): Promise<Array<{ origin: string; data: Record<string, unknown> }>> {
  return page.evaluate(`window.received`);
}

/** Scene pixel → page pixel, through the iframe and the zoom. */
async function scenePoint(frame: Frame, sx: number, sy: number): Promise<{ x: number; y: number; zoom: number }> {
  const box = (await frame.locator('.stage-overlay').boundingBox())!;
  const zoom = box.width / 1080;
  return { x: box.x + sx * zoom, y: box.y + sy * zoom, zoom };
}

async function pngOf(url: string): Promise<PNG> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url);
    if (res.status === 200) return PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered 200`);
}

/** Rows (y) where the heading's column holds ink clearly unlike the brand background (#FBF7F3). */
function inkRows(png: PNG, x0: number, x1: number, y0: number, y1: number): number[] {
  const rows: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i]! - 0xfb) + Math.abs(png.data[i + 1]! - 0xf7) + Math.abs(png.data[i + 2]! - 0xf3) > 120) {
        rows.push(y);
        break;
      }
    }
  }
  return rows;
}

function editorHeader(link: string): string {
  const u = new URL(link);
  const [, , job, scene] = u.pathname.split('/');
  return `${job}.${scene}.${u.searchParams.get('exp')}.${u.searchParams.get('sig')}`;
}

async function session(link: string): Promise<{ edit: { revision: number; scene_doc: Scene | null } }> {
  const res = await fetch(`${api.url}/v1/editor/session`, { headers: { 'x-adsmith-editor': editorHeader(link) } });
  expect(res.status).toBe(200);
  return (await res.json()) as { edit: { revision: number; scene_doc: Scene | null } };
}

describe('the editor in a host page', () => {
  it('drag the heading 40 px, type new text in place, undo, redo, save: the new PNG has the new text at the new place and the host hears adsmith:saved', async () => {
    const [first] = await generate();
    const { page, frame } = await openInHost(first!.editor_iframe);
    const ready = (await received(page)).find((m) => m.data['type'] === 'adsmith:ready')!;
    expect(ready).toEqual({ origin: api.url, data: { type: 'adsmith:ready', scene: 1, width: 1080, height: 1080 } });

    // Drag the heading 40 px down (its centre, in small steps as a hand would).
    const from = await scenePoint(frame, HEADING.x + HEADING.width / 2, HEADING.y + HEADING.height / 2);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(from.x, from.y + (40 * from.zoom * i) / 10);
    await page.mouse.up();
    await expect.poll(() => frame.inputValue('#p-s1-heading-y')).toBe('230');
    expect(await frame.inputValue('#p-s1-heading-x')).toBe('72');

    // Double-click: the transparent textarea over the box; every key re-renders the canvas with the engine.
    const canvasPixels = () => frame.evaluate<string>(`document.querySelector('canvas').toDataURL()`);
    const before = await canvasPixels();
    const inside = await scenePoint(frame, HEADING.x + 100, 230 + 150);
    await page.mouse.dblclick(inside.x, inside.y);
    await expect.poll(() => frame.evaluate(`document.activeElement === document.querySelector('textarea.text-editor')`)).toBe(true);
    expect(await frame.evaluate(`getComputedStyle(document.querySelector('textarea.text-editor')).color`)).toBe('rgba(0, 0, 0, 0)');
    expect(await frame.evaluate(`getComputedStyle(document.querySelector('textarea.text-editor')).caretColor`)).not.toBe('rgba(0, 0, 0, 0)');
    await page.keyboard.type('Fresh look');
    await expect.poll(canvasPixels).not.toBe(before);
    await page.keyboard.press('Escape');
    await expect.poll(() => frame.inputValue('#p-s1-heading-text')).toBe('Fresh look');

    // One drag is one step, the typing another: undo twice returns to the original place and text.
    await page.keyboard.press('Control+Z');
    await expect.poll(() => frame.inputValue('#p-s1-heading-text')).toBe('Summer sale');
    expect(await frame.inputValue('#p-s1-heading-y')).toBe('230');
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => frame.inputValue('#p-s1-heading-text')).toBe('Fresh look');
    expect(await frame.inputValue('#p-s1-heading-y')).toBe('230');
    expect((await received(page)).some((m) => m.data['type'] === 'adsmith:change' && m.data['dirty'] === true)).toBe(true);

    await frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await received(page)).find((m) => m.data['type'] === 'adsmith:saved'), { timeout: 30_000 }).toBeTruthy();
    const saved = (await received(page)).find((m) => m.data['type'] === 'adsmith:saved')!;
    expect(saved.origin).toBe(api.url);
    expect(saved.data).toMatchObject({ type: 'adsmith:saved', width: 1080, height: 1080, revision: 1 });
    expect(saved.data['url']).not.toBe(first!.url);
    await expect.poll(() => frame.locator('p.status').textContent()).toMatch(/Saved/);

    // The saved scene document has the heading 40 px lower; the saved PNG is what the Node engine draws for it.
    const edit = (await session(first!.editor_iframe)).edit;
    expect(edit.revision).toBe(1);
    const heading = edit.scene_doc!.elements.find((e) => e.id === 's1-heading')!;
    expect(heading.box).toMatchObject({ x: 72, y: 230 });
    const png = await pngOf(saved.data['url'] as string);
    const original = await pngOf(first!.url);
    const template = publicTemplate('1062')!;
    const withScene = (scene: Scene): TemplateDocument => ({ ...template, scenes: template.scenes.map((s, i) => (i === 0 ? scene : s)) });
    const renderer = new Renderer();
    const drawn = async (scene: Scene, text: string) =>
      PNG.sync.read(
        Buffer.from(
          (
            await renderer.renderScene(
              { template: withScene(scene), brand: publicBrand('167')!, elements: [{ content_type: 'Heading #1', content: 'Summer sale' }, { id: 's1-heading', content: text }] },
              0,
            )
          ).bytes,
        ),
      );
    const expected = await drawn(edit.scene_doc!, 'Fresh look');
    const diff = pixelmatch(png.data, expected.data, undefined, 1080, 1080, { threshold: 0.1 });
    expect(diff / (1080 * 1080)).toBeLessThan(0.001);
    // New text: the same layout with the old words differs clearly in the heading box.
    const oldWords = await drawn(edit.scene_doc!, 'Summer sale');
    expect(pixelmatch(png.data, oldWords.data, undefined, 1080, 1080, { threshold: 0.1 })).toBeGreaterThan(2000);
    // New place: the heading's ink starts 40 px lower than the same text drawn in the original box.
    const atOldPlace = await drawn({ ...edit.scene_doc!, elements: edit.scene_doc!.elements.map((e) => (e.id === 's1-heading' ? { ...e, box: { ...e.box, y: 190 } } : e)) } as Scene, 'Fresh look');
    const band = [HEADING.x, HEADING.x + 380] as const;
    const newTop = inkRows(png, band[0], band[1], 150, 520)[0]!;
    const oldTop = inkRows(atOldPlace, band[0], band[1], 150, 520)[0]!;
    expect(newTop - oldTop).toBe(40);
    // The original result keeps its image.
    expect(pixelmatch(original.data, png.data, undefined, 1080, 1080, { threshold: 0.1 })).toBeGreaterThan(2000);

    // Unsaved again, then closing the page asks first.
    await frame.locator('.stage-overlay').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => frame.inputValue('#p-s1-heading-x')).toBe('73');
    // Leaving the host page (Chromium runs the frame's beforeunload on navigation): the dialog, dismissed, keeps the editor.
    const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    const leaving = page.goto('about:blank').catch((e: Error) => e.message);
    expect(await dialog).toBe('beforeunload');
    expect(await leaving).toMatch(/ERR_ABORTED/);
    expect(await frame.inputValue('#p-s1-heading-x')).toBe('73');
    await page.close();
  }, 180_000);

  it('a second tab saving the same scene gets the conflict and keeps its edits; a non-image upload shows the server\'s message; a refused save keeps the edits and says why', async () => {
    const [first] = await generate();
    const a = await openInHost(first!.editor_iframe);
    const b = await openInHost(first!.editor_iframe);
    for (const tab of [a, b]) {
      await tab.frame.getByRole('button', { name: 'Hide Accent shape' }).click();
    }
    await a.frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await received(a.page)).some((m) => m.data['type'] === 'adsmith:saved'), { timeout: 30_000 }).toBe(true);
    await b.frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => b.frame.locator('p.status').textContent(), { timeout: 30_000 }).toMatch(/changed elsewhere; reload/);
    expect(await b.frame.getByRole('button', { name: 'Reload' }).isVisible()).toBe(true);
    const error = (await received(b.page)).find((m) => m.data['type'] === 'adsmith:error')!;
    expect(error.data['code']).toBe('ADS_EDITOR_CONFLICT');
    // Still dirty: nothing was thrown away.
    expect(await b.frame.getByRole('button', { name: 'Save', exact: true }).isEnabled()).toBe(true);

    // Select the photo from the layers panel and upload a text file as its image.
    await b.frame.getByRole('button', { name: 'Photo', exact: true }).click();
    await b.frame.setInputFiles('#p-s1-photo-upload', { name: 'notes.txt', mimeType: 'image/png', buffer: Buffer.from('these are not pixels\n') });
    await expect.poll(() => b.frame.locator('p.status').textContent(), { timeout: 15_000 }).toMatch(/"notes\.txt" is not an image/);
    const uploadError = (await received(b.page)).filter((m) => m.data['type'] === 'adsmith:error').at(-1)!;
    expect(uploadError.data['code']).not.toBe('ADS_EDITOR_CONFLICT');

    // A save the server refuses (an image address that answers no image): the edits stay and the bar says why.
    await a.frame.getByRole('button', { name: 'Photo', exact: true }).click();
    await a.frame.fill('#p-s1-photo-url', `${host.origin}/no-such-image.png`);
    await a.frame.getByRole('button', { name: 'Use', exact: true }).click();
    // The canvas cannot draw it either: it keeps its last frame and says why.
    await expect.poll(() => a.frame.locator('.render-error').textContent(), { timeout: 30_000 }).toMatch(/could not be redrawn: .*no-such-image\.png.*404/);
    await a.frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => a.frame.locator('p.status').textContent(), { timeout: 30_000 }).toMatch(/^Not saved: .*elements\[\d+\]\.content: the URL answered HTTP 404.*Your edits are kept\.$/s);
    expect(await a.frame.getByRole('button', { name: 'Save', exact: true }).isEnabled()).toBe(true);
    expect(await a.frame.locator('#p-s1-photo-url').inputValue()).toBe(`${host.origin}/no-such-image.png`);
    await a.page.close();
    await b.page.close();
  }, 180_000);

  it('handles resize width and height, the rotate handle rotates, guides show while snapping, marquee, duplicate and delete by keyboard, apply to all sizes, layer drag and lock, Escape, host select', async () => {
    const [first] = await generate();
    const { page, frame } = await openInHost(first!.editor_iframe);
    const value = (id: string) => frame.inputValue(`#p-s1-body-${id}`);
    // Select the body copy (72, 540, 380 × 170) and drag its south-east handle by (+50, +20) scene px.
    const body = await scenePoint(frame, 72 + 100, 540 + 40);
    await page.mouse.click(body.x, body.y);
    const handle = (await frame.locator('[data-handle="se"]').boundingBox())!;
    const z = body.zoom;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(handle.x + handle.width / 2 + (50 * z * i) / 5, handle.y + handle.height / 2 + (20 * z * i) / 5);
    await page.mouse.up();
    // Width and height change (the box is not scaled); x and y stay.
    expect(Number(await value('width'))).toBeCloseTo(430, 0);
    expect(Number(await value('height'))).toBeCloseTo(190, 0);
    expect(await value('x')).toBe('72');
    expect(await value('y')).toBe('540');
    await page.keyboard.press('Control+Z');
    await expect.poll(() => value('width')).toBe('380');

    // The rotate handle: pulled to the right of the centre, the box turns 90° (shift snaps to 15°).
    const rot = (await frame.locator('[data-handle="rotate"]').boundingBox())!;
    const centre = await scenePoint(frame, 72 + 190, 540 + 85);
    await page.mouse.move(rot.x + rot.width / 2, rot.y + rot.height / 2);
    await page.mouse.down();
    await page.keyboard.down('Shift');
    await page.mouse.move(centre.x + 150 * z, centre.y + 3 * z, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => value('rotation')).toBe('90');
    await page.keyboard.press('Control+Z');
    await expect.poll(() => value('rotation')).toBe('0');

    // Moving the body so its left edge comes within a few px of the heading's: a guide shows during the drag and it snaps.
    const grab = await scenePoint(frame, 72 + 100, 540 + 40);
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x + 3 * z, grab.y + 30 * z, { steps: 5 });
    expect(await frame.locator('line.guide').count()).toBeGreaterThan(0);
    await page.mouse.up();
    expect(await frame.locator('line.guide').count()).toBe(0);
    expect(await value('x')).toBe('72');
    expect(Number(await value('y'))).not.toBe(540);

    // Marquee over the button: label and button are selected; Ctrl+D duplicates both; Delete removes the copies.
    const a = await scenePoint(frame, 40, 880);
    const b = await scenePoint(frame, 420, 1040);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    expect(await frame.locator('rect.marquee').count()).toBe(1);
    await page.mouse.up();
    await expect.poll(() => frame.locator('.layer.is-selected').count()).toBe(2);
    // The group's box has the 8 resize handles (no rotate handle); its south-east one by (+60, +30) scene px
    // scales both boxes with the group, and one undo puts both back.
    expect(await frame.locator('[data-handle]').count()).toBe(8);
    const groupSize = async () => {
      const g = frame.locator('rect.group');
      return { w: Number(await g.getAttribute('width')) / z, h: Number(await g.getAttribute('height')) / z };
    };
    const group0 = await groupSize();
    await page.screenshot({ path: path.join('/tmp', 'editor-group-handles.png') });
    const se = (await frame.locator('[data-handle="se"]').boundingBox())!;
    await page.mouse.move(se.x + se.width / 2, se.y + se.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(se.x + se.width / 2 + (60 * z * i) / 5, se.y + se.height / 2 + (30 * z * i) / 5);
    await page.mouse.up();
    await expect.poll(async () => (await groupSize()).w - group0.w).toBeCloseTo(60, 0);
    expect((await groupSize()).h - group0.h).toBeCloseTo(30, 0);
    await page.screenshot({ path: path.join('/tmp', 'editor-group-resized.png') });
    await page.keyboard.press('Control+Z');
    await expect.poll(async () => (await groupSize()).w).toBeCloseTo(group0.w, 1);
    expect((await groupSize()).h).toBeCloseTo(group0.h, 1);
    const layers = () => frame.locator('.layer').count();
    const before = await layers();
    await page.keyboard.press('Control+D');
    await expect.poll(layers).toBe(before + 2);
    await page.keyboard.press('Delete');
    await expect.poll(layers).toBe(before);
    // Apply to all sizes: the headline's text goes to every scene (a revision each), and this scene's next save is not a conflict.
    await frame.getByRole('button', { name: 'Headline', exact: true }).click();
    await frame.fill('#p-s1-heading-text', 'Everywhere at once');
    await frame.getByRole('button', { name: 'Apply this text to all sizes' }).click();
    await expect.poll(() => frame.locator('p.status').textContent(), { timeout: 60_000 }).toMatch(/Heading #1 applied to 8 sizes/);
    const all = (await (
      await fetch(`${api.url}/v1/editor/session`, { headers: { 'x-adsmith-editor': editorHeader(first!.editor_iframe) } })
    ).json()) as { scenes: Array<{ revision: number }> };
    expect(all.scenes.map((sc) => sc.revision)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    await frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => frame.locator('p.status').textContent(), { timeout: 30_000 }).toMatch(/Saved \(revision 2\)/);
    // Layers: drag the Photo row onto the top row (it becomes the topmost layer); lock it and the canvas cannot pick it; Escape deselects.
    await frame.locator('.layer', { hasText: 'Photo' }).dragTo(frame.locator('.layer').first());
    await expect.poll(() => frame.locator('.layer-name').first().textContent()).toBe('Photo');
    await frame.getByRole('button', { name: 'Lock Photo' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => frame.locator('.layer.is-selected').count()).toBe(0);
    const onPhoto = await scenePoint(frame, 800, 300);
    await page.mouse.click(onPhoto.x, onPhoto.y);
    expect(await frame.locator('.layer.is-selected', { hasText: 'Photo' }).count()).toBe(0);
    // The lock is saved: reopening the link shows Photo locked, and the canvas still cannot pick it.
    await frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => frame.locator('p.status').textContent(), { timeout: 30_000 }).toMatch(/Saved \(revision 3\)/);
    const reopened = await openInHost(first!.editor_iframe);
    await expect.poll(() => reopened.frame.getByRole('button', { name: 'Unlock Photo' }).count()).toBe(1);
    const again = await scenePoint(reopened.frame, 800, 300);
    await reopened.page.mouse.click(again.x, again.y);
    expect(await reopened.frame.locator('.layer.is-selected', { hasText: 'Photo' }).count()).toBe(0);
    await reopened.page.close();
    // What the engine says about the selected element shows in its properties (here: text too long for the box).
    await frame.getByRole('button', { name: 'Headline', exact: true }).click({ position: { x: 20, y: 10 } });
    await frame.fill('#p-s1-heading-text', 'A headline far too long for its box, '.repeat(6));
    await expect.poll(() => frame.locator('.warnings').textContent()).toMatch(/shortened with an ellipsis/);
    // The host can select by id.
    await page.evaluate(`document.querySelector('iframe').contentWindow.postMessage({ type: 'adsmith:select', element_id: 's1-logo' }, ${JSON.stringify(api.url)})`);
    await expect.poll(() => frame.locator('.props .panel-title').textContent()).toBe('Logo');
    await page.close();
  }, 180_000);

  it('accessibility: axe-core finds no serious or critical violation, and Tab reaches every control', async () => {
    const [first] = await generate();
    const { page, frame } = await openInHost(first!.editor_iframe);
    // With a text element selected, so the properties panel shows its controls too.
    await frame.getByRole('button', { name: 'Headline', exact: true }).click();
    await frame.evaluate(fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const violations = (await frame.evaluate(`(async () => {
      const res = await window.axe.run(document, { resultTypes: ['violations'] });
      return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    })()`)) as Array<{ id: string; impact: string }>;
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    // White-label: no vendor name anywhere the user can read.
    expect(await frame.locator('body').innerText()).not.toMatch(/adsmith/i);
    expect(await frame.title()).not.toMatch(/adsmith/i);

    // Every enabled control, radio groups counted once (arrows move inside a group).
    const controls = (await frame.evaluate(`(() => {
      const list = [...document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')].filter(
        (el) => !el.disabled && el.getClientRects().length > 0,
      );
      const keys = list.map((el, i) => {
        const key = el.type === 'radio' ? 'radio:' + el.name : 'c' + i + ':' + (el.getAttribute('aria-label') || el.id || el.textContent.trim().slice(0, 30));
        el.dataset.tabKey = key;
        return key;
      });
      window.reached = new Set();
      document.addEventListener('focusin', (e) => { if (e.target.dataset.tabKey) window.reached.add(e.target.dataset.tabKey); });
      return [...new Set(keys)];
    })()`)) as string[];
    expect(controls.length).toBeGreaterThan(30);
    await page.locator('iframe').focus();
    for (let i = 0; i < controls.length + 20; i++) await page.keyboard.press('Tab');
    const reached = (await frame.evaluate(`[...window.reached]`)) as string[];
    expect(controls.filter((c) => !reached.includes(c))).toEqual([]);
    // Focus is visible: the focused control draws an outline.
    const outline = await frame.evaluate(`getComputedStyle(document.activeElement).outlineStyle`);
    expect(outline).not.toBe('none');
    await page.screenshot({ path: path.join('/tmp', 'editor-in-host.png') });
    await page.close();
  }, 180_000);
});
