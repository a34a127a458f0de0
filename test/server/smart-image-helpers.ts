import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import { tempDir, validateEveryContractResponse } from './helpers.js';

/** Helpers shared by the smart-image and moderation server tests: a real server, a loopback image host, pixel probes. */

export const TOKEN = 'smart-image-test-token-0123456789';
export const PRODUCT_PNG = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
export const LIFESTYLE_JPG = fs.readFileSync(new URL('../../src/assets/images/lifestyle.jpg', import.meta.url));
/** The product photo changed imperceptibly so that the NSFW model flags it (see test/jobs/fixtures/make-flagged-image.ts). */
export const flaggedPng = (): Buffer => fs.readFileSync(new URL('../jobs/fixtures/flagged-product.png', import.meta.url));
export const TEMPLATE_1062 = JSON.parse(fs.readFileSync(new URL('../../src/assets/templates/1062.json', import.meta.url), 'utf8')) as TemplateDocument;

/**
 * The server with the real engine, the real render threads and the real models
 * thread, on a temp data dir. `env` is read as the process environment would be
 * (model settings); `validate: false` skips the contract check of every response
 * (the contract lists no 503, which a degraded server answers on purpose).
 */
export async function startRealServer(opts: { env?: Record<string, string>; overrides?: Partial<ServerConfig>; validate?: boolean } = {}) {
  const dataDir = tempDir();
  const config = loadConfig({ NODE_ENV: 'test', ...opts.env }, { dataDir, publicUrl: 'http://ads.test', workers: 2, logger: false, allowPrivateUrls: true, ...opts.overrides });
  const built = await buildApp(config);
  await built.app.ready();
  if (opts.validate !== false) validateEveryContractResponse(built.app);
  await ensureDefaultOrg(built.ctx.store, TOKEN);
  const gen = (body: object) => built.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: TOKEN }, payload: body });
  const jobStatus = async (id: string) => (await built.app.inject({ url: `/v1/jobs/${id}`, headers: { api_token: TOKEN } })).json();
  const result = async (url: string) => built.app.inject(new URL(url).pathname);
  const close = async () => {
    await built.app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...built, dataDir, gen, jobStatus, result, close };
}

/** A loopback HTTP server answering fixed bytes per path (404 otherwise); only 127.0.0.1. */
export async function serveBytes(files: Record<string, { body: Uint8Array | string; type?: string }>) {
  const server = http.createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type ?? 'application/octet-stream' }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (p: string) => `${base}${p}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

export async function decode(bytes: Uint8Array): Promise<Pixels> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

type Box = { x: number; y: number; width: number; height: number };

/** The smartImage element's box of a scene, and the boxes of elements painted over it (their pixels are not the frame's). */
export function smartImageBox(template: TemplateDocument, sceneIndex: number): { box: Box; covered: Box[] } {
  const els = template.scenes[sceneIndex]!.elements;
  const at = els.findIndex((e) => e.layer_type === 'smartImage');
  const order = (i: number) => els[i]!.order ?? 0;
  const covered = els.filter((_, i) => order(i) > order(at) || (order(i) === order(at) && i > at)).map((e) => e.box);
  return { box: els[at]!.box, covered };
}

/**
 * A smart-image frame as the template designs it (`style.frame`): the region its fill covers (the frame
 * element's box), the box the subject is placed in (the element's box within the region), and the boxes of
 * elements painted over the fill other than the subject layer (their pixels are not the fill's).
 */
export function smartFrameOf(template: TemplateDocument, sceneIndex: number): { region: Box; box: Box; covered: Box[] } {
  const els = template.scenes[sceneIndex]!.elements;
  const el = els.find((e) => e.layer_type === 'smartImage')!;
  if (el.layer_type !== 'smartImage') throw new Error('no smartImage element');
  const at = els.findIndex((e) => e.id === el.style.frame?.element);
  if (at < 0) throw new Error(`scene ${sceneIndex} has no frame element`);
  const region = els[at]!.box;
  const order = (i: number) => els[i]!.order ?? 0;
  const covered = els.filter((e, i) => e !== el && (order(i) > order(at) || (order(i) === order(at) && i > at))).map((e) => e.box);
  const x = Math.max(el.box.x, region.x), y = Math.max(el.box.y, region.y);
  const box = { x, y, width: Math.min(el.box.x + el.box.width, region.x + region.width) - x, height: Math.min(el.box.y + el.box.height, region.y + region.height) - y };
  return { region: { x: region.x, y: region.y, width: region.width, height: region.height }, box, covered };
}

/** RGB of the frame's pixels that `pick` selects (by position relative to the box, 0…1), skipping covered and edge pixels. */
export function framePixels(img: Pixels, box: Box, covered: Box[], pick: (u: number, v: number) => boolean): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let y = box.y + 1; y < box.y + box.height - 1; y++) {
    for (let x = box.x + 1; x < box.x + box.width - 1; x++) {
      if (covered.some((c) => x >= c.x && x < c.x + c.width && y >= c.y && y < c.y + c.height)) continue;
      if (!pick((x - box.x) / box.width, (y - box.y) / box.height)) continue;
      const i = (y * img.width + x) * 3;
      out.push([img.data[i]!, img.data[i + 1]!, img.data[i + 2]!]);
    }
  }
  return out;
}

export function medianRgb(px: Array<[number, number, number]>): [number, number, number] {
  const med = (c: 0 | 1 | 2) => {
    const v = px.map((p) => p[c]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] ?? NaN;
  };
  return [med(0), med(1), med(2)];
}

/** The amber glass of the shipped product bottle: red over green over blue, clearly saturated, not light. */
export const isAmber = ([r, g, b]: [number, number, number]) => r > g && g > b && r - b > 50 && r < 215;

/** The band along the frame's top and sides (upper part), inside the 4 % placement padding: background only. */
export const borderBand = (u: number, v: number) => (v < 0.03 || ((u < 0.03 || u > 0.97) && v < 0.7));
