/**
 * The editor's re-render cost (issue 11 target: ≤ 16 ms median while dragging a
 * 1080×1080 scene), driven by Playwright in Debian's Chromium, and the same
 * scene's server render in the same run: the browser host of the engine
 * (web/src/engine-host) draws 1062 + brand 167's Instagram post again and
 * again onto one canvas, the heading moved by a pixel each frame (a new
 * document per frame, as the editor makes one); fonts and images are cached
 * after the first render. The server side is the Node host (Renderer) on the
 * same scene: layout + paint alone, and with PNG encoding.
 *
 *   npx tsx bench/editor-render.bench.ts [--frames 120]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { ensureDefaultOrg } from '../src/admin/index.js';
import { Renderer } from '../src/node/render.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { buildEnginePage, enginePageHtml } from '../test/helpers/engine-page.js';

const argIndex = process.argv.indexOf('--frames');
const FRAMES = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 120;
const SERVER_RUNS = 30;
const TOKEN = 'editor-render-bench-token-0123456789';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const TEMPLATE = '1062';
const BRAND = '167';
const SCENE = 0; // Instagram post, 1080×1080

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;

interface Harness {
  loadDocuments(t: string, b: string | null): Promise<{ template: unknown; brand: unknown }>;
  engine: { preload(input: object): Promise<void> };
  render(input: object): Promise<{ ms: number; width: number; height: number }>;
  rerender(input: object, times: number, nudge: boolean): Promise<number[]>;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-editor-bench-'));
const { app, ctx } = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, workers: 0, logger: false }));
await ensureDefaultOrg(ctx.store, TOKEN);
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: LAUNCH_ARGS });
try {
  const page = await browser.newPage();
  const html = enginePageHtml(await buildEnginePage(), TOKEN);
  await page.route(`${base}/__engine-bench`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${base}/__engine-bench`);
  await page.waitForFunction(() => (globalThis as unknown as { fidelityReady?: boolean }).fidelityReady === true);

  const browserFigures = await page.evaluate(
    async ({ t, b, scene, frames }) => {
      const h = (globalThis as unknown as { fidelity: Harness }).fidelity;
      const docs = await h.loadDocuments(t, b);
      const input = { ...docs, elements: [], sceneIndex: scene, scale: 1 };
      const cold = (await h.render(input)).ms; // fonts fetched and registered, images fetched and decoded
      const still = await h.rerender(input, frames, false);
      const dragging = await h.rerender(input, frames, true);
      return { cold, still, dragging };
    },
    { t: TEMPLATE, b: BRAND, scene: SCENE, frames: FRAMES },
  );

  // The editor's case: a new page on a server that has served these fonts and images before.
  const second = await browser.newPage();
  await second.route(`${base}/__engine-bench`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await second.goto(`${base}/__engine-bench`);
  await second.waitForFunction(() => (globalThis as unknown as { fidelityReady?: boolean }).fidelityReady === true);
  const warmServerCold = await second.evaluate(
    async ({ t, b, scene }) => {
      const h = (globalThis as unknown as { fidelity: Harness }).fidelity;
      const t0 = performance.now();
      const docs = await h.loadDocuments(t, b);
      const first = (await h.render({ ...docs, elements: [], sceneIndex: scene, scale: 1 })).ms;
      return { withDocuments: performance.now() - t0, render: first };
    },
    { t: TEMPLATE, b: BRAND, scene: SCENE },
  );

  const template = ctx.engine.publicTemplates().find((d) => d.id === TEMPLATE)!;
  const brand = ctx.engine.publicBrands().find((d) => d.id === BRAND)!;
  const renderer = new Renderer();
  const req = { template, brand, elements: [] };
  for (let i = 0; i < 3; i++) await renderer.renderScene(req, SCENE);
  const serverTotal: number[] = [];
  const serverDraw: number[] = [];
  for (let i = 0; i < SERVER_RUNS; i++) {
    const t0 = performance.now();
    const scene = await renderer.renderScene(req, SCENE);
    serverTotal.push(performance.now() - t0);
    serverDraw.push(scene.timings.layout + scene.timings.paint);
  }

  const chromiumVersion = browser.version();
  console.log(`editor re-render bench | ${TEMPLATE} + brand ${BRAND}, ${template.scenes[SCENE]!.name} | Chromium ${chromiumVersion} (software canvas) | node ${process.version} | ${os.cpus().length} cores`);
  console.log(`browser, first render on a fresh server (fonts and images loaded, decoded by the server): ${ms(browserFigures.cold)}`);
  console.log(`browser, first render in a new page, server warm: ${ms(warmServerCold.render)} (${ms(warmServerCold.withDocuments)} with fetching the two documents)`);
  console.log(`browser re-render, same document:      median ${ms(median(browserFigures.still))}  p90 ${ms(pct(browserFigures.still, 90))}  (${FRAMES} frames)`);
  console.log(`browser re-render, dragging the heading: median ${ms(median(browserFigures.dragging))}  p90 ${ms(pct(browserFigures.dragging, 90))}  (${FRAMES} frames; target ≤ 16 ms)`);
  console.log(`server render (Node host), layout + paint: median ${ms(median(serverDraw))}; with PNG encode: median ${ms(median(serverTotal))}  (${SERVER_RUNS} runs)`);
  console.log(`ratio browser drag re-render / server layout + paint: ${(median(browserFigures.dragging) / median(serverDraw)).toFixed(2)}×`);
} finally {
  await browser.close();
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
