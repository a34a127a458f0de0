import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { startServer, type TestServer } from '../client/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const PHOTO = path.join(ROOT, 'src/assets/images/product.png');

/**
 * The playground at / in real Chromium against a real server (real engine,
 * render worker threads, SQLite): the first-run token prompt, template 1062
 * with a brand, a heading, an uploaded photo with a smart-image operation,
 * scenes arriving over Server-Sent Events, and one scene opened in the editor.
 */
let api: TestServer;
let browser: Browser;

beforeAll(async () => {
  api = await startServer({ workers: 2 });
  // A private template of the organisation: the picker lists it after the public ones.
  const { id: _id, ...doc } = publicTemplate('1061')!;
  const created = await fetch(`${api.url}/v1/ads/templates`, { method: 'POST', headers: { api_token: api.token, 'content-type': 'application/json' }, body: JSON.stringify({ ...doc, name: 'Studio copy' }) });
  if (created.status !== 201) throw new Error(`could not create the private template: ${created.status} ${await created.text()}`);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the playground at /', () => {
  it('asks for the token, generates 1062 with a brand, heading and photo, shows every scene as it finishes, opens one in the editor', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // The deliberately wrong token answers 401; anything else logged as an error is a defect.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));

    // First run: the prompt, and a wrong token is refused with a clear message.
    const home = await page.goto(`${api.url}/`);
    expect(home?.status()).toBe(200);
    await page.getByLabel('API token').fill('not-a-real-token-0000000000');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.locator('#token-problem').textContent()).toMatch(/does not know that token \(401\)/);
    await page.getByLabel('API token').fill(api.token);
    await page.getByRole('button', { name: 'Connect' }).click();

    // The lists (public + private): both public templates, then the organisation's own; the five public brands.
    const template1062 = page.locator('label.card', { hasText: '#1062' });
    await template1062.waitFor();
    const names = (await page.locator('.cards--templates .card__name').allTextContents());
    expect(names).toEqual(['Warm studio', 'Brand spotlight', 'Studio copy']);
    expect(await page.locator('.cards--templates label.card').last().textContent()).toContain('yours');
    expect(await page.locator('.cards--brands label.card').count()).toBe(5);
    expect(await page.evaluate("localStorage.getItem('adsmith.playground.token')")).toBe(api.token);

    // Thumbnails are drawn in the page by the engine (template documents read from the server), not fetched as images.
    await page.waitForFunction("document.querySelectorAll('.thumb').length === 8 && [...document.querySelectorAll('.thumb')].every((t) => t.dataset.state === 'drawn')", null, { timeout: 60_000 });
    const thumbs = (await page.evaluate(`Promise.all([...document.querySelectorAll('.thumb img')].map(async (img) => {
      const c = document.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 4 * 7) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return { src: img.src.slice(0, 5), width: img.naturalWidth, colours: colours.size };
    }))`)) as Array<{ src: string; width: number; colours: number }>;
    expect(thumbs.map((t) => [t.src, t.width])).toEqual(Array(8).fill(['blob:', 420]));
    for (const t of thumbs) expect(t.colours).toBeGreaterThan(40);
    expect(requests).toContain('GET /v1/ads/templates/1062/document');
    expect(requests).toContain('GET /v1/ads/brands/121/document');

    // A brand-free template disables the brand choice; 1062 enables it again.
    await page.locator('label.card', { hasText: '#1061' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Brand', exact: true }).evaluate((f) => (f as unknown as { disabled: boolean }).disabled)).toBe(true);
    await template1062.click();
    await expect.poll(() => page.getByRole('group', { name: 'Brand', exact: true }).evaluate((f) => (f as unknown as { disabled: boolean }).disabled)).toBe(false);
    await page.locator('label.card', { hasText: 'Parity' }).click();

    // Only the slots 1062 has: heading, body, and the button label (Body #2).
    const slotLabels = await page.locator('.field__code').allTextContents();
    expect(slotLabels).toEqual(['Heading #1', 'Body #1', 'Body #2']);
    await page.getByLabel(/^Heading/).fill('Playground summer sale');
    await page.setInputFiles('#photo', PHOTO);
    await page.locator('label.mode', { hasText: 'Cut out, on a colour' }).click();
    await page.locator('#bg-color').fill('#E8F0FF');

    // The curl and client snippets follow the form.
    const curl = await page.locator('.code__pre').textContent();
    expect(curl).toContain('"template_id": "1062"');
    expect(curl).toContain('"brand_id": "121"');
    expect(curl).toContain('"content": "Playground summer sale"');
    expect(curl).toContain('"input": "#E8F0FF"');
    expect(curl).toMatch(/-F 'file=@product\.png'/);
    await page.getByRole('button', { name: 'Copy curl' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(curl);
    await page.getByRole('tab', { name: 'adsmith/client' }).click();
    const code = await page.locator('.code__pre').textContent();
    expect(code).toContain("template_id: '1062'");
    expect(code).toContain("input_image_url: './product.png'");

    // Count finished scenes on every DOM change, to see them arrive one by one.
    // (In-page code is a string: the test's tsconfig has no DOM types.)
    await page.evaluate(`
      window.doneCounts = [];
      new MutationObserver(() => {
        const n = document.querySelectorAll('.scene--done').length;
        if (window.doneCounts.at(-1) !== n) window.doneCounts.push(n);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    `);
    await page.getByRole('button', { name: 'Generate ads' }).click();
    await page.waitForFunction("document.querySelectorAll('.scene--done').length === 8", null, { timeout: 120_000 });

    // Every scene: its image decoded at the size the card states.
    const sizes = (await page.locator('li.scene .scene__size').allTextContents()).map((t) => t.replace(/\s+/g, ''));
    await page.waitForFunction("[...document.querySelectorAll('li.scene img')].every((i) => i.complete && i.naturalWidth > 0)");
    type Img = { naturalWidth: number; naturalHeight: number };
    const loaded = await page.locator('li.scene img').evaluateAll((imgs) => imgs.map((i) => `${(i as unknown as Img).naturalWidth}×${(i as unknown as Img).naturalHeight}`));
    expect(loaded).toEqual(sizes);
    expect(loaded).toContain('1080×1080');
    expect(await page.locator('.results__status').textContent()).toMatch(/^8 of 8 scenes in \d+\.\d s$/);

    // The photo went through POST /v1/files, the job through generate, progress through SSE; scenes arrived in steps.
    expect(requests).toContain('POST /v1/files');
    expect(requests).toContain('POST /v1/ads/generate');
    expect(requests.some((r) => /^GET \/v1\/jobs\/[^/]+\/events$/.test(r))).toBe(true);
    const counts = (await page.evaluate('window.doneCounts')) as number[];
    expect(counts.at(-1)).toBe(8);
    expect(counts.some((n) => n > 0 && n < 8)).toBe(true);

    // The job on the server is the one the form described.
    const jobs = (await (await fetch(`${api.url}/v1/jobs`, { headers: { api_token: api.token } })).json()) as Array<{ request_id: string }>;
    const job = (await (await fetch(`${api.url}/v1/jobs/${jobs[0]!.request_id}`, { headers: { api_token: api.token } })).json()) as { template_id: string; brand_id: string; status: string };
    expect(job).toMatchObject({ template_id: '1062', brand_id: '121', status: 'COMPLETED' });

    // No serious or critical accessibility violations (axe-core) on the filled-in page.
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules/axe-core/axe.min.js') });
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))`)) as Array<{ id: string; impact: string; nodes: string[] }>;
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    // One scene opens in the editor, inside the page: the editor page loads (200, not a refusal page).
    const editorResponse = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/editor/'));
    await page.getByRole('button', { name: /^Edit Instagram post .* in the editor$/ }).click();
    const res = await editorResponse;
    expect(res.status()).toBe(200);
    const frame = page.frameLocator('iframe.editor-dialog__frame');
    await expect.poll(async () => (await frame.locator('body').textContent())?.length ?? 0).toBeGreaterThan(0);
    expect(await frame.locator('body').textContent()).not.toMatch(/not valid|expired|error/i);
    // And in a new tab, from the card's link.
    const href = await page.locator('li.scene').first().getByRole('link', { name: /in a new tab/ }).getAttribute('href');
    expect(href).toBe(res.url());
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.editor-dialog').evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);

    // A second job (expand_image on another photo: seconds per scene) cancelled while it renders.
    await page.setInputFiles('#photo', path.join(ROOT, 'src/assets/images/lifestyle.jpg'));
    await page.locator('label.mode', { hasText: 'Expand the photo' }).click();
    await page.getByRole('button', { name: 'Generate ads' }).click();
    await page.locator('.results__bar').getByRole('button', { name: 'Cancel' }).click({ timeout: 60_000 });
    await page.locator('.results .notice--error').waitFor({ timeout: 60_000 });
    expect(await page.locator('.results .notice--error').textContent()).toMatch(/^Cancelled: [0-7] of 8 scenes were rendered before it stopped\.$/);
    expect(await page.locator('li.scene--cancelled').count()).toBeGreaterThan(0);

    // The token is remembered across a reload, and forgetting it brings the prompt back.
    await page.reload();
    await template1062.waitFor();
    await page.locator('summary.menu__button').click();
    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate("localStorage.getItem('adsmith.playground.token')")).toBeNull();

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
