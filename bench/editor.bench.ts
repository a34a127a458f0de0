/**
 * The editor in Chromium against a real server process (loopback):
 * - first paint of a 1080×1080 scene (template 1062, brand 167, scene 1) after
 *   navigation to its editor_iframe URL: the `adsmith:first-paint` mark the
 *   editor sets once the engine's first frame is on the canvas (ms since the
 *   navigation started); the first open after the server started (its first
 *   image decodes), then the median of opens with an empty browser cache and
 *   of opens with a warm one;
 * - re-renders while dragging the heading: each `adsmith:render` measure (the
 *   engine's plan → layout → paint into the back buffer, plus the copy to the
 *   visible canvas), median and p95 over a drag of many pointer moves, at the
 *   canvas's fit-to-window size and at device scale 2;
 * - the peer: the same scene rendered by the server's engine (Node host,
 *   Renderer.renderScene: layout + paint + PNG encode, and layout + paint alone)
 *   in this process, median of N.
 * A benchmark, not a test: it prints figures.
 *
 *   npx tsx bench/editor.bench.ts [--opens 7] [--moves 120]
 */
import os from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { publicBrand, publicTemplate } from '../src/assets/index.js';
import { Renderer } from '../src/node/render.js';
import { startServerProcess } from './lib/server-process.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const OPENS = arg('--opens', 7);
const MOVES = arg('--moves', 120);
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const ELEMENTS = [{ content_type: 'Heading #1', content: 'Summer sale' }];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
};
const f = (n: number) => n.toFixed(1).padStart(7);

async function firstPaint(page: Page, url: string): Promise<number> {
  await page.goto(url);
  // waitForFunction would eval a string, which the editor's CSP forbids: poll instead.
  const until = Date.now() + 30_000;
  while (!(await page.evaluate(() => performance.getEntriesByName('adsmith:first-paint').length > 0))) {
    if (Date.now() > until) throw new Error(`the editor never painted: ${await page.locator('p.status').textContent().catch(() => '')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return (await page.evaluate(`performance.getEntriesByName('adsmith:first-paint')[0].startTime`)) as number;
}

/** Drags the heading with MOVES pointer moves, one per animation frame, and answers the renders' durations and the engine's part. */
async function dragRenders(page: Page): Promise<{ total: number[]; engine: number[]; scale: number }> {
  const box = (await page.locator('.stage-overlay').boundingBox())!;
  const zoom = box.width / 1080;
  const start = { x: box.x + (72 + 235) * zoom, y: box.y + (190 + 165) * zoom };
  await page.evaluate(`performance.clearMeasures('adsmith:render')`);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= MOVES; i++) {
    // A hand-like path: across and back, 0–200 scene px.
    const t = i / MOVES;
    await page.mouse.move(start.x + Math.sin(t * Math.PI * 2) * 200 * zoom, start.y + t * 120 * zoom);
    await page.evaluate(`new Promise((r) => requestAnimationFrame(() => r(null)))`);
  }
  await page.mouse.up();
  await page.waitForTimeout(200);
  const entries = (await page.evaluate(`performance.getEntriesByName('adsmith:render').map((e) => [e.duration, e.detail.engineMs])`)) as Array<[number, number]>;
  const scale = (await page.evaluate(`document.querySelector('.stage-canvas').width / 1080`)) as number;
  return { total: entries.map((e) => e[0]), engine: entries.map((e) => e[1]), scale };
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const res = await fetch(`${server.base}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: server.token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: '1062', brand_id: '167', sync: true, elements: ELEMENTS }),
  });
  // The child listens on an ephemeral port its public URL does not know: keep the link's path and signature, use the real address.
  const issued = new URL(((await res.json()) as { result: Array<{ editor_iframe: string }> }).result[0]!.editor_iframe);
  const link = `${server.base}${issued.pathname}${issued.search}`;
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: LAUNCH_ARGS });
  try {
    console.log(`editor bench | template 1062 + brand 167, scene 1 (1080×1080) | ${os.availableParallelism()} cores | node ${process.version} | chromium ${browser.version()}`);

    // First paint: the very first open (server and browser cold), then new browser contexts (empty HTTP cache, the
    // server warm: a new user), then new pages in one context (HTTP cache warm: the same user's next open).
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const cold = await firstPaint(await context.newPage(), link);
    const newUser: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      newUser.push(await firstPaint(await ctx.newPage(), link));
      await ctx.close();
    }
    const warm: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const page = await context.newPage();
      warm.push(await firstPaint(page, link));
      await page.close();
    }
    await context.close();
    console.log('first paint after navigation (ms; target ≤ 1000)');
    console.log(`  first open after the server started      ${f(cold)}`);
    console.log(`  empty browser cache, median of ${OPENS}        ${f(median(newUser))}`);
    console.log(`  browser cache warm, median of ${OPENS}         ${f(median(warm))}`);

    // Re-render while dragging: fit to a 1440×900 window (1× screen), the scene at exactly 1080² device pixels, and a 2× screen.
    const rows: Array<[string, { total: number[]; engine: number[]; scale: number }]> = [];
    for (const [label, dpr, actualSize] of [['fit to 1440×900, 1× screen', 1, false], ['100 % zoom, 1× screen', 1, true], ['fit to 1440×900, 2× screen', 2, false]] as const) {
      const ctx = await browser.newContext({ viewport: actualSize ? { width: 1800, height: 1300 } : { width: 1440, height: 900 }, deviceScaleFactor: dpr });
      const page = await ctx.newPage();
      await firstPaint(page, link);
      if (actualSize) {
        await page.getByRole('button', { name: 'Actual size' }).click();
        await page.waitForTimeout(300);
      }
      rows.push([label, await dragRenders(page)]);
      await ctx.close();
    }

    // The peer: the server's engine on the same scene, in this process (Node host).
    const renderer = new Renderer();
    const req = { template: publicTemplate('1062')!, brand: publicBrand('167')!, elements: ELEMENTS };
    const node: number[] = [];
    const nodeLayoutPaint: number[] = [];
    for (let i = 0; i < 3; i++) await renderer.renderScene(req, 0);
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const out = await renderer.renderScene(req, 0);
      node.push(performance.now() - t0);
      nodeLayoutPaint.push(out.timings.layout + out.timings.paint);
    }

    console.log('\nre-render while dragging the heading (browser, per frame)   renders   device px    median ms   p95 ms   engine median ms');
    for (const [label, r] of rows) {
      console.log(
        `  ${label.padEnd(58)}${String(r.total.length).padStart(7)}   ${String(Math.round(1080 * r.scale)).padStart(5)}²   ${f(median(r.total))}  ${f(p95(r.total))}   ${f(median(r.engine))}`,
      );
    }
    console.log(`  target ≤ 16 ms median`);
    console.log('\nthe same scene on the server engine (Node host, 1080², n=15)          median ms');
    console.log(`  layout + paint + PNG encode                                     ${f(median(node))}`);
    console.log(`  layout + paint                                                  ${f(median(nodeLayoutPaint))}`);
    const same = rows[1]![1];
    console.log(`\nratio browser re-render at 1080² / server layout+paint at 1080²: ${(median(same.total) / median(nodeLayoutPaint)).toFixed(2)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
