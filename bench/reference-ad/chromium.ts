/**
 * Peer 1: the reference ad as HTML/CSS, screenshotted by headless Chromium
 * (Debian's /usr/bin/chromium) through playwright-core.
 *
 * setup(): read the assets and fonts once into data: URIs, launch one browser
 * and open one page (reused for every render).
 * render(): build the HTML for the layout, page.setContent() it, wait for the
 * fonts and the images to be loaded and decoded, auto-fit the heading in page
 * JS (shrink from max to min until scrollHeight fits 2 lines), then
 * page.screenshot({ type: 'png', clip }). Everything inside render() is timed.
 *
 * Fonts come only from the local Inter woff2 files via @font-face with data:
 * URIs; no request leaves the page (all resources are inline).
 */
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { Renderer } from './peers.js';
import { COLORS, FILES, FONT_FAMILY, TEXTS, WEIGHTS, headingSizes, layoutFor } from './spec.js';
import type { AdLayout, Box, HeadingFit, Size } from './spec.js';

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

interface Inline {
  photo: string;
  logo: string;
  font400: string;
  font700: string;
}

const dataUri = async (path: string, mime: string): Promise<string> => `data:${mime};base64,${(await readFile(path)).toString('base64')}`;

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const boxCss = (b: Box): string => `position:absolute;left:${b.x}px;top:${b.y}px;width:${b.w}px;`;

function html(layout: AdLayout, inline: Inline): string {
  const { photo, logo, heading, body, button } = layout;
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
@font-face { font-family: ${FONT_FAMILY}; font-style: normal; font-weight: 400; src: url(${inline.font400}) format('woff2'); }
@font-face { font-family: ${FONT_FAMILY}; font-style: normal; font-weight: 700; src: url(${inline.font700}) format('woff2'); }
html, body { margin: 0; padding: 0; }
body { position: relative; width: ${layout.width}px; height: ${layout.height}px; overflow: hidden;
  background: ${COLORS.background}; font-family: ${FONT_FAMILY}; }
#photo { ${boxCss(photo)} height: ${photo.h}px; border-radius: ${photo.radius}px; overflow: hidden; }
#photo img { display: block; width: 100%; height: 100%; object-fit: cover; object-position: center; }
#logo { ${boxCss(logo)} height: ${logo.h}px; display: block; }
#heading { ${boxCss(heading)} margin: 0; font-weight: ${WEIGHTS.heading}; font-size: ${heading.maxSize}px;
  line-height: ${heading.lineHeight}; color: ${COLORS.heading}; }
#body { ${boxCss(body)} height: ${body.h}px; font-weight: ${WEIGHTS.body}; font-size: ${body.size}px;
  line-height: ${body.lineHeight}; color: ${COLORS.body}; white-space: nowrap; }
#button { ${boxCss(button)} height: ${button.h}px; border-radius: ${button.radius}px; background: ${COLORS.button};
  display: flex; align-items: center; justify-content: center;
  font-weight: ${WEIGHTS.button}; font-size: ${button.labelSize}px; line-height: 1; color: ${COLORS.buttonLabel}; }
</style></head><body>
<div id="photo"><img src="${inline.photo}" alt=""></div>
<img id="logo" src="${inline.logo}" alt="">
<div id="heading">${escapeHtml(TEXTS.heading)}</div>
<div id="body">${TEXTS.body.map((l) => `<div>${escapeHtml(l)}</div>`).join('')}</div>
<div id="button">${escapeHtml(TEXTS.button)}</div>
</body></html>`;
}

/**
 * Runs in the page (serialised by playwright, so it cannot call imports):
 * wait for fonts and image decode, then shrink the heading from maxSize by
 * `step` until its scrollHeight fits in maxLines lines (the rule of
 * spec.headingFits, inlined). Returns the chosen size.
 */
async function fitInPage(fit: HeadingFit & { sizes: number[] }): Promise<number> {
  const doc = (globalThis as unknown as { document: PageDocument }).document;
  await Promise.all([doc.fonts.load(`700 16px Inter`), doc.fonts.load(`400 16px Inter`)]);
  await doc.fonts.ready;
  await Promise.all(Array.from(doc.images, (img) => img.decode()));
  const el = doc.getElementById('heading');
  if (!el) throw new Error('no #heading');
  let chosen = fit.minSize;
  for (const size of fit.sizes) {
    el.style.fontSize = `${size}px`;
    if (Math.round(el.scrollHeight / (size * fit.lineHeight)) <= fit.maxLines) {
      chosen = size;
      break;
    }
  }
  el.style.fontSize = `${chosen}px`;
  return chosen;
}

/** The few DOM types fitInPage uses (the project's tsconfig has no DOM lib). */
interface PageElement {
  style: { fontSize: string };
  scrollHeight: number;
}
interface PageDocument {
  fonts: { load(font: string): Promise<unknown>; ready: Promise<unknown> };
  images: ArrayLike<{ decode(): Promise<void> }>;
  getElementById(id: string): PageElement | null;
}

let browser: Browser | undefined;
let page: Page | undefined;
let inline: Inline | undefined;
let viewport: Size | undefined;

/** Font size chosen by the last render, for cross-checking with the other renderers. */
export const lastHeadingSize = new Map<string, number>();

export const chromiumRenderer: Renderer = {
  name: 'chromium',
  async setup() {
    inline = {
      photo: await dataUri(FILES.photo, 'image/jpeg'),
      logo: await dataUri(FILES.logo, 'image/png'),
      font400: await dataUri(FILES.font[400].woff2, 'font/woff2'),
      font700: await dataUri(FILES.font[700].woff2, 'font/woff2'),
    };
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
    const context = await browser.newContext({ deviceScaleFactor: 1, viewport: { width: 1080, height: 1080 } });
    // Belt and braces: the ad is fully inline, so any real request is a bug.
    await context.route(/^(?!data:)/, (route) => route.abort());
    page = await context.newPage();
    viewport = { width: 1080, height: 1080 };
  },
  async render(size) {
    if (!page || !inline) throw new Error('chromium renderer: setup() not called');
    const layout = layoutFor(size);
    if (!viewport || viewport.width !== size.width || viewport.height !== size.height) {
      await page.setViewportSize(size);
      viewport = { ...size };
    }
    await page.setContent(html(layout, inline), { waitUntil: 'load' });
    const { heading } = layout;
    const chosen = await page.evaluate(fitInPage, { ...heading, sizes: headingSizes(heading) });
    lastHeadingSize.set(`${size.width}x${size.height}`, chosen);
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: size.width, height: size.height } });
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  },
  async teardown() {
    await browser?.close();
    browser = undefined;
    page = undefined;
    inline = undefined;
    viewport = undefined;
  },
};
