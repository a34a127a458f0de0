import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { isAdsmithError } from '../../src/errors/catalogue.js';
import { Renderer } from '../../src/node/render.js';
import { sanitiseSvgText, SvgRefused, svgExternalReferences } from '../../src/node/svg-safety.js';

/**
 * Issue 9, item 1: an SVG must never draw a file from the server's disk. A PNG of a colour nothing
 * else uses (magenta) is written to a temporary folder; SVGs point at it every way resvg could
 * resolve it, and the rendered pixels must hold none of it.
 */
let dir = '';
let pngPath = '';
let pngDataUri = '';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-svg-'));
  pngPath = path.join(dir, 'secret.png');
  const png = await sharp({ create: { width: 16, height: 16, channels: 4, background: '#ff00ff' } }).png().toBuffer();
  fs.writeFileSync(pngPath, png);
  pngDataUri = `data:image/png;base64,${png.toString('base64')}`;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A 64×64 green square with `inner` on top. */
const svgWith = (inner: string, ns = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${ns} width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="#00ff00"/>${inner}</svg>`;

function pictureTemplate(): TemplateDocument {
  return {
    schema_version: 1,
    id: 't',
    name: 'one picture',
    description: 'an image element',
    requires_brand: false,
    scenes: [
      {
        name: 's',
        width: 64,
        height: 64,
        background: { type: 'color', color: '#ffffff' },
        elements: [{ id: 'logo', layer_type: 'image', content_type: 'Image #1', content: '', box: { x: 0, y: 0, width: 64, height: 64 }, style: { fit: 'contain' } }],
      },
    ],
  } as unknown as TemplateDocument;
}

async function render(svg: string) {
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  return new Renderer().renderScene({ template: pictureTemplate(), brand: null, elements: [{ id: 'logo', content: src }] }, 0);
}

/** Pixels of the picture's magenta (the PNG on disk), and of the green square (the SVG itself). */
async function count(bytes: Uint8Array): Promise<{ magenta: number; green: number }> {
  const { data } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let magenta = 0;
  let green = 0;
  for (let i = 0; i < data.length; i += 3) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (r > 200 && g < 80 && b > 200) magenta++;
    if (r < 60 && g > 200 && b < 60) green++;
  }
  return { magenta, green };
}

const image = (attr: string, value: string) => `<image ${attr}="${value}" x="0" y="0" width="64" height="64"/>`;

describe('SVG references outside the document (issue 9, item 1)', () => {
  it('resvg itself would draw the file: the threat is real here', async () => {
    const raw = new Resvg(svgWith(image('href', pngPath))).render();
    const { data } = await sharp(raw.asPng()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 255]);
  });

  const cases: Array<[string, () => string]> = [
    ['absolute path in href', () => svgWith(image('href', pngPath))],
    ['relative path in xlink:href', () => svgWith(image('xlink:href', path.relative(process.cwd(), pngPath)))],
    ['file:// URL', () => svgWith(image('href', pathToFileURL(pngPath).href))],
    ['path spelled with character references', () => svgWith(image('href', [...pngPath].map((c) => `&#${c.charCodeAt(0)};`).join('')))],
    ['another namespace prefix bound to XLink', () => svgWith(image('x:href', pngPath), ' xmlns:x="http://www.w3.org/1999/xlink"')],
    ['feImage filter input', () => svgWith(`<filter id="f" x="0" y="0" width="1" height="1"><feImage href="${pngPath}" width="64" height="64"/></filter><rect width="64" height="64" filter="url(#f)"/>`)],
    ['an SVG inside a data: URI pointing at the file', () => svgWith(image('href', `data:image/svg+xml;base64,${Buffer.from(svgWith(image('href', pngPath))).toString('base64')}`))],
    ['CSS url() in a style attribute and in <style>', () => svgWith(`<style>@import url(${pngPath}); rect.p { fill: url(${pngPath}) }</style><rect class="p" width="64" height="64" style="fill:url('${pngPath}')"/>`)],
  ];
  for (const [name, svg] of cases) {
    it(`${name}: none of the PNG's pixels are drawn, and the scene warns`, async () => {
      const scene = await render(svg());
      const { magenta } = await count(scene.bytes);
      expect(magenta).toBe(0);
      expect(scene.warnings.join('\n')).toMatch(/element "logo": its SVG refers to things outside itself, which were removed/);
    });
  }

  it('a data: URI inside the SVG is drawn (the allowed way to embed a picture)', async () => {
    const scene = await render(svgWith(image('href', pngDataUri)));
    const { magenta } = await count(scene.bytes);
    expect(magenta).toBeGreaterThan(60 * 60);
    expect(scene.warnings.join('\n')).not.toMatch(/outside itself/);
  });

  it('an SVG referring to nothing outside draws unchanged and without warnings', async () => {
    const svg = svgWith('<linearGradient id="g"><stop offset="0" stop-color="#00ff00"/></linearGradient><use href="#r"/><rect id="r" width="8" height="8" fill="url(#g)"/>');
    expect(svgExternalReferences(svg)).toEqual([]);
    expect(sanitiseSvgText(svg).svg).toBe(svg);
    const scene = await render(svg);
    expect((await count(scene.bytes)).green).toBe(64 * 64);
    expect(scene.warnings).toEqual([]);
  });

  it('names every reference it removes', () => {
    const refs = svgExternalReferences(svgWith(`${image('href', '/etc/x.png')}<use xlink:href="other.svg#a"/><g style="fill:url(http://evil.test/p.svg#x)"/><g xml:base="file:///"/>`));
    expect(refs).toEqual([
      { reference: '/etc/x.png', where: 'href attribute' },
      { reference: 'other.svg#a', where: 'xlink:href attribute' },
      { reference: 'file:///', where: 'xml:base' },
      { reference: 'http://evil.test/p.svg#x', where: 'CSS url()' },
    ]);
  });

  it('an internal DTD (entities can spell markup no scan sees) is refused with a message saying so', async () => {
    const hidden = `<!DOCTYPE svg [<!ENTITY e "<image &#104;ref='${pngPath}' width='64' height='64'/>">]>${svgWith('&e;')}`;
    expect(() => sanitiseSvgText(hidden)).toThrow(SvgRefused);
    const err = await render(hidden).catch((e: unknown) => e);
    expect(isAdsmithError(err) && err.code).toBe('ADS_IMAGE_DECODE_FAILED');
    expect((err as Error).message).toMatch(/must not declare a DTD/);
    // A DOCTYPE with only the public identifier (as editors export) declares nothing and is fine.
    const exported = `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${svgWith('')}`;
    expect((await count((await render(exported)).bytes)).green).toBe(64 * 64);
  });

  it('text in an SVG is set in a shipped font (no system fonts)', async () => {
    const scene = await render(svgWith('<text x="4" y="40" font-size="30" font-family="NoSuchFamily" fill="#000000">Ab</text>'));
    const { data } = await sharp(scene.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let dark = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i]! < 60 && data[i + 1]! < 60 && data[i + 2]! < 60) dark++;
    expect(dark).toBeGreaterThan(50);
  });
});
