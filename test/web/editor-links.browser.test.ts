import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorSignature } from '../../src/server/contract/views.js';
import { startServer, type TestServer } from '../client/server.js';

/**
 * Editor links and framing in real Chromium (issue 11, deliverable 7): an
 * expired and a tampered link each show a refusal page, and a host page on an
 * origin that ADSMITH_EDITOR_FRAME_ANCESTORS does not list cannot frame the
 * editor — Chromium itself refuses it because of the CSP header — while the
 * listed origin can (the control that shows the check can fail).
 */
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** A host page that frames ?src= and records the messages it receives. */
const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>
<body><iframe id="ed" title="Ad editor" style="width:1200px;height:800px;border:0"></iframe>
<script>
  window.received = [];
  addEventListener('message', (e) => window.received.push(e.data));
  document.getElementById('ed').src = new URLSearchParams(location.search).get('src');
</script></body></html>`;

async function hostSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const site = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOST_PAGE));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  return { origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}`, close: () => new Promise((r) => site.close(() => r())) };
}

let api: TestServer;
let allowed: Awaited<ReturnType<typeof hostSite>>;
let other: Awaited<ReturnType<typeof hostSite>>;
let browser: Browser;
let link: URL;

beforeAll(async () => {
  allowed = await hostSite();
  other = await hostSite();
  api = await startServer({ workers: 1, editorFrameAncestors: [allowed.origin] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  const res = await fetch(`${api.url}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: api.token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: '1061', sync: true, elements: [{ content_type: 'Heading #1', content: 'Framing test' }] }),
  });
  expect(res.status).toBe(200);
  link = new URL(((await res.json()) as { result: Array<{ editor_iframe: string }> }).result[0]!.editor_iframe);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await allowed?.close();
  await other?.close();
});

/** Opens the host page of `site` framing `src`; answers the page and the console lines it logged. */
async function frameFrom(site: { origin: string }, src: string): Promise<{ page: Page; console: string[] }> {
  const page = await browser.newPage();
  const lines: string[] = [];
  page.on('console', (m) => lines.push(m.text()));
  await page.goto(`${site.origin}/?src=${encodeURIComponent(src)}`);
  return { page, console: lines };
}

describe('editor links and framing in Chromium', () => {
  it('the allowed origin frames the editor and hears adsmith:ready', async () => {
    const { page } = await frameFrom(allowed, link.href);
    await page.waitForFunction(`window.received.some((m) => m && m.type === 'adsmith:ready')`, null, { timeout: 30_000 });
    await page.close();
  });

  it('another origin is refused by the CSP header: Chromium does not load the editor into its frame', async () => {
    const { page, console } = await frameFrom(other, link.href);
    // Chromium reports the frame-ancestors refusal on the console of the framing page.
    await expect.poll(() => console.some((l) => /frame-ancestors/.test(l) && l.includes(link.origin)), { timeout: 15_000 }).toBe(true);
    // And the editor never ran: no message reached the host, no frame shows the editor's document.
    await page.waitForTimeout(1500);
    expect(await page.evaluate('window.received.length')).toBe(0);
    const framed = page.frames().filter((f) => f !== page.mainFrame());
    expect(framed.length).toBe(1);
    expect(await framed[0]!.evaluate('document.querySelector("#app") !== null').catch(() => false)).toBe(false);
    await page.close();
  });

  it('a tampered link shows the 403 refusal page; an expired one the 410 page', async () => {
    const page = await browser.newPage();
    const sig = link.searchParams.get('sig')!;
    const tampered = new URL(link.href);
    tampered.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    const refused = await page.goto(tampered.href);
    expect(refused!.status()).toBe(403);
    expect(await page.textContent('body')).toMatch(/not valid/i);
    expect(await page.locator('canvas').count()).toBe(0);

    const [, , job] = link.pathname.split('/');
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = new URL(`${link.origin}${link.pathname}?exp=${past}&sig=${editorSignature(api.ctx.editorKey, job!, 0, past)}`);
    const gone = await page.goto(expired.href);
    expect(gone!.status()).toBe(410);
    expect(await page.textContent('body')).toMatch(/expired/i);
    expect(await page.locator('canvas').count()).toBe(0);
    await page.close();
  });
});
