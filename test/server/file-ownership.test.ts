import { freePort } from '../../src/cli/batch/embedded.js';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, ensureDefaultOrg } from '../../src/admin/index.js';
import type { BrandDocument } from '../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { newJobOf } from '../../src/server/contract/generate.js';
import { newId } from '../../src/common/ids.js';
import { startApp, tempDir, waitFor } from './helpers.js';

/**
 * Issue 9, item 2: one organisation's uploaded files stay its own everywhere a URL can name one,
 * in every spelling, when documents are saved, when requests are accepted, and when scenes render.
 *
 * The server listens on loopback and its public URL is that address: it can reach itself, which
 * is what let other spellings of a file URL be fetched over HTTP before. Real engine, real render thread.
 */
let app: Awaited<ReturnType<typeof buildApp>>['app'];
let ctx: Awaited<ReturnType<typeof buildApp>>['ctx'];
let dataDir = '';
let base = '';
let port = 0;
const A = { token: '', orgId: '' };
const B = { token: '', orgId: '' };
let fileId = '';
let fontUrl = '';

function multipart(filename: string, bytes: Uint8Array) {
  const boundary = '----adsmithowner';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  dataDir = tempDir();
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const built = await buildApp(loadConfig({ NODE_ENV: 'test', ADSMITH_PRELOAD_MODELS: '0' }, { dataDir, publicUrl: base, workers: 1, logger: false, allowPrivateUrls: true }));
  app = built.app;
  ctx = built.ctx;
  await app.listen({ port, host: '127.0.0.1' });
  await ensureDefaultOrg(ctx.store, 'owner-test-default-token-0001');
  for (const [who, name] of [[A, 'alpha'], [B, 'beta']] as const) {
    const { org, token } = await createOrg(ctx.store, { name, plan: 'pro' });
    who.token = token;
    who.orgId = org.id;
  }
  // Organisation A's picture: magenta, a colour nothing else in these scenes uses.
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff00ff' } }).png().toBuffer();
  const up = multipart('secret.png', png);
  const res = await app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: A.token, ...up.headers }, payload: up.payload });
  expect(res.statusCode).toBe(201);
  fileId = res.json().id;
  const require = createRequire(import.meta.url);
  const woff = fs.readFileSync(path.join(path.dirname(require.resolve('@fontsource/inter/package.json')), 'files', 'inter-latin-400-normal.woff'));
  const upFont = multipart('house.woff', woff);
  const font = await app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: A.token, ...upFont.headers }, payload: upFont.payload });
  expect(font.statusCode).toBe(201);
  fontUrl = font.json().url;
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A's file in every spelling the campaign used (and a few more). */
const spellings = () => [
  `${base}/v1/files/${fileId}`,
  `http://localhost:${port}/v1/files/${fileId}`,
  `${base}/v1/./files/${fileId}`,
  `${base}/v1/x/../files/${fileId}`,
  `HTTP://127.0.0.1:${port}/v1/files/${fileId}`,
  `${base}/v1/%66%69%6C%65%73/${fileId}`,
  `http://[::1]:${port}/v1/files/${fileId}`,
  `http://2130706433:${port}/v1/files/${fileId}`,
];

const picture = (content: string): TemplateDocument =>
  ({
    schema_version: 1,
    id: 'new',
    name: 'Picture',
    description: 'one image',
    requires_brand: false,
    scenes: [{ name: 'square', width: 64, height: 64, background: { type: 'color', color: '#00ff00' }, elements: [{ id: 'pic', layer_type: 'image', content_type: 'Image #1', content, box: { x: 0, y: 0, width: 64, height: 64 }, style: { fit: 'cover' } }] }],
  }) as unknown as TemplateDocument;

const withLogo = (): TemplateDocument =>
  ({
    schema_version: 1,
    id: 'new',
    name: 'Logo',
    description: 'a brand logo',
    requires_brand: true,
    scenes: [{ name: 'square', width: 64, height: 64, background: { type: 'color', color: '#00ff00' }, elements: [{ id: 'logo', layer_type: 'logo', content_type: 'Logo #1', content: '', box: { x: 0, y: 0, width: 64, height: 64 }, style: { logo: 'primary' } }] }],
  }) as unknown as TemplateDocument;

const brand = (logo: string, fontSrc?: string): BrandDocument =>
  ({
    schema_version: 1,
    id: 'new',
    name: 'House',
    description: 'a brand',
    colors: { primary: '#112233', secondary: '#445566', accent: '#778899', text: '#000000', background: '#ffffff' },
    fonts: { heading: { family: 'Inter' }, body: { family: 'Inter' }, ...(fontSrc ? { files: [{ family: 'House', weight: 400, src: fontSrc }] } : {}) },
    logos: { primary: { on_light: logo, on_dark: logo }, icon: { on_light: LOGO, on_dark: LOGO } },
  }) as unknown as BrandDocument;

/** A logo that is nobody's file: a green square inside the document. */
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#00aa00"/></svg>').toString('base64')}`;

const inject = (token: string, method: 'POST' | 'PUT', url: string, payload: unknown) => app.inject({ method, url, headers: { api_token: token }, payload: payload as object });

async function magentaPixels(bytes: Uint8Array): Promise<number> {
  const { data } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += 3) if (data[i]! > 200 && data[i + 1]! < 80 && data[i + 2]! > 200) n++;
  return n;
}

describe('saving documents (issue 9, item 2)', () => {
  it("a private template naming another organisation's file is refused, naming the JSON path, in every spelling", async () => {
    for (const url of spellings()) {
      const res = await inject(B.token, 'POST', '/v1/ads/templates', picture(url));
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toMatch(/^The template document is invalid at \$\.scenes\[0\]\.elements\[0\]\.content: the URL is a file uploaded by another organisation/);
    }
    // The owner saves it; an update by the other organisation is refused the same way.
    const own = await inject(A.token, 'POST', '/v1/ads/templates', picture(spellings()[1]!));
    expect(own.statusCode).toBe(201);
    const mine = await inject(B.token, 'POST', '/v1/ads/templates', picture(''));
    const upd = await inject(B.token, 'PUT', `/v1/ads/templates/${mine.json().id}`, { ...picture(''), scenes: [{ ...picture('').scenes[0], background: { type: 'image', src: `${base}/v1/./files/${fileId}` } }] });
    expect(upd.statusCode).toBe(400);
    expect(upd.json().error.message).toMatch(/at \$\.scenes\[0\]\.background\.src: the URL is a file uploaded by another organisation/);
  });

  it("a private brand naming another organisation's file as a logo or a font is refused, naming the JSON path", async () => {
    const logo = await inject(B.token, 'POST', '/v1/ads/brands', brand(`http://LOCALHOST:${port}/v1/files/${fileId}`));
    expect(logo.statusCode).toBe(400);
    expect(logo.json().error.message).toMatch(/^The brand document is invalid at \$\.logos\.primary\.on_light: the URL is a file uploaded by another organisation/);
    const font = await inject(B.token, 'POST', '/v1/ads/brands', brand(LOGO, fontUrl));
    expect(font.statusCode).toBe(400);
    expect(font.json().error.message).toMatch(/at \$\.fonts\.files\[0\]\.src: the URL is a file uploaded by another organisation/);
    expect((await inject(A.token, 'POST', '/v1/ads/brands', brand(`${base}/v1/files/${fileId}`, fontUrl))).statusCode).toBe(201);
  });

  it('a URL on this server naming no file is refused too', async () => {
    const res = await inject(B.token, 'POST', '/v1/ads/templates', picture(`http://localhost:${port}/v1/files/NoSuchFileIdOfThisServer00`));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/the URL is not an uploaded file of this server/);
  });
});

describe('accepting requests (issue 9, item 2)', () => {
  const generate = (token: string, body: object) => inject(token, 'POST', '/v1/ads/generate', body);

  it("an element naming another organisation's file is the contract 422 in every spelling", async () => {
    for (const url of spellings()) {
      const res = await generate(B.token, { template_id: '1061', elements: [{ content_type: 'Image #1', content: url }] });
      expect(res.statusCode, url).toBe(422);
      expect(res.json(), url).toMatch(/\(elements\[0\]\.content: the URL is a file uploaded by another organisation/);
    }
  });

  it('batch rows and task inputs naming it are refused the same way, in every spelling', async () => {
    const rows = spellings().map((url, i) => ({ key: `r${i}`, elements: [{ content_type: 'Image #1', content: url }] }));
    const batch = await inject(B.token, 'POST', '/v1/ads/batch', { template_id: '1061', rows });
    expect(batch.statusCode, batch.body).toBeLessThan(500);
    const failed = (batch.json().failed_rows ?? []) as Array<{ index: number; error: { code: string; message: string } }>;
    expect(failed.map((r) => r.index)).toEqual(rows.map((_, i) => i));
    for (const row of failed) expect(row.error.message).toMatch(new RegExp(`rows\\[${row.index}\\]\\.elements\\[0\\]\\.content: the URL is a file uploaded by another organisation`));
    for (const url of spellings()) {
      const task = await app.inject({
        method: 'POST',
        url: '/apps/run',
        headers: { authorization: `Bearer ${B.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ layer_type: 'image', content_type: 'Image #1', content: url }] } }),
      });
      expect(task.statusCode, url).toBe(422);
      expect(task.body, url).toMatch(/elements\[0\]\.content: the URL is a file uploaded by another organisation/);
    }
  });

  it('the smart-image input naming it is refused, in every spelling', async () => {
    // An API-only node (no render threads, so no cut-out model is loaded) with the same rule and its own files.
    const api = await startApp({ workers: 0 });
    try {
      const owner = await api.newOrg('pro', 'owner');
      const other = await api.newOrg('pro', 'other');
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff00ff' } }).png().toBuffer();
      const up = multipart('p.png', png);
      const file = await api.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: owner.token, ...up.headers }, payload: up.payload });
      const id = file.json().id as string;
      const smartTemplate = { ...picture(''), scenes: [{ ...picture('').scenes[0]!, elements: [{ id: 'si', layer_type: 'smartImage', content_type: 'smartImage', content: '', box: { x: 0, y: 0, width: 64, height: 64 }, style: {} }] }] };
      const tpl = await api.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: other.token }, payload: smartTemplate as object });
      expect(tpl.statusCode, tpl.body).toBe(201);
      const urls = [`http://ads.test/v1/files/${id}`, `HTTP://ADS.TEST/v1/./files/${id}`, `http://ads.test/v1/%66iles/${id}`, `http://localhost:8080/v1/files/${id}`, `http://127.0.0.1/v1/x/../files/${id}`, `http://[::1]/v1/files/${id}`];
      for (const url of urls) {
        const res = await api.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: other.token }, payload: { template_id: String(tpl.json().id), smart_image: { input_image_url: url, scene: { operation: 'expand_image' } } } });
        expect(res.statusCode, url).toBe(422);
        expect(res.json(), url).toMatch(/\(smart_image\.input_image_url: the URL is a file uploaded by another organisation/);
      }
    } finally {
      await api.close();
    }
  });

  it('documents stored before the save-time check are refused when a job is accepted', async () => {
    // Written straight to the store, as a document saved before this check existed would be.
    const tpl = await ctx.store.createAsset(B.orgId, 'template', { name: 'old', description: 'stored earlier', document: { ...picture(`http://localhost:${port}/v1/files/${fileId}`), id: 'old' } });
    const res = await generate(B.token, { template_id: String(tpl.id) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatch(new RegExp(`\\(template_id \\(template ${tpl.id} at \\$\\.scenes\\[0\\]\\.elements\\[0\\]\\.content\\): the URL is a file uploaded by another organisation`));
    const logoTpl = await ctx.store.createAsset(B.orgId, 'template', { name: 'logo', description: 'd', document: { ...withLogo(), id: 'logo' } });
    const br = await ctx.store.createAsset(B.orgId, 'brand', { name: 'old brand', description: 'd', document: { ...brand(`${base}/v1/%66iles/${fileId}`), id: 'ob' } });
    const withBrand = await generate(B.token, { template_id: String(logoTpl.id), brand_id: String(br.id) });
    expect(withBrand.statusCode).toBe(422);
    expect(withBrand.json()).toMatch(new RegExp(`\\(brand_id \\(brand ${br.id} at \\$\\.logos\\.primary\\.on_light\\): the URL is a file uploaded by another organisation`));
  });

  it('a URL elsewhere that redirects to the file is refused (it would be fetched over HTTP, past the check)', async () => {
    const redirector = http.createServer((_req, res) => res.writeHead(302, { location: `http://localhost:${port}/v1/files/${fileId}` }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(redirector.address() as net.AddressInfo).port}/logo.png`;
      const res = await generate(B.token, { template_id: '1061', elements: [{ content_type: 'Image #1', content: url }] });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatch(/\(elements\[0\]\.content: the URL leads to an uploaded file \(\/v1\/files\/…\) over HTTP/);
    } finally {
      redirector.closeAllConnections();
      await new Promise((r) => redirector.close(r));
    }
  });

  it('the owner uses its file in any spelling: the picture is drawn', async () => {
    const res = await generate(A.token, { template_id: '1061', sync: true, elements: [{ content_type: 'Image #1', content: spellings()[5] }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('COMPLETED');
  });
});

describe('rendering (issue 9, item 2): the render thread refuses files of another organisation', () => {
  /** A job for `org` straight into the store, skipping every accept-time check, as a job accepted before them would be. */
  async function storedJob(orgId: string, template: TemplateDocument, brandDoc: BrandDocument | null) {
    const jobId = newId('job');
    const job = newJobOf(
      {
        request: { template_id: 'stored' },
        template,
        brand: brandDoc,
        templateRef: { kind: 'private', id: '1', version: 1 },
        brandRef: brandDoc ? { kind: 'private', id: '2', version: 1 } : null,
        output: { format: 'png', scale: 1 },
        webhookUrl: null,
        requestHash: jobId,
        inputs: [],
      },
      jobId,
      orgId,
      null,
    );
    const created = await ctx.store.createJob(job, null);
    expect(created.job).not.toBeNull();
    ctx.queue.notify(jobId);
    return waitFor(async () => {
      const scenes = await ctx.store.getScenes(jobId);
      return scenes.every((s) => ['done', 'failed'].includes(s.status)) ? scenes : null;
    }, 30_000);
  }

  it("another organisation's file in a stored template, in every spelling, draws none of its pixels", async () => {
    for (const url of spellings()) {
      const [scene] = await storedJob(B.orgId, picture(url), null);
      expect(scene?.status, url).toBe('failed');
      expect(scene?.errorCode, url).toBe('ADS_IMAGE_UNAVAILABLE');
      expect(scene?.errorMessage, url).toMatch(/the URL is a file uploaded by another organisation/);
    }
  });

  it("a picture the owner's render left decoded in the thread's cache is not drawn for another organisation", async () => {
    // One render thread: the owner's job decodes the picture under this exact source, then the other organisation asks for it.
    const src = `http://127.0.0.1:${port}/v1/./files/${fileId}`;
    const [own] = await storedJob(A.orgId, picture(src), null);
    expect(own?.status).toBe('done');
    expect(await magentaPixels((await ctx.blob.get(own!.blobKey!))!)).toBeGreaterThan(64 * 64 * 0.9);
    const [theirs] = await storedJob(B.orgId, picture(src), null);
    expect(theirs?.status).toBe('failed');
    expect(theirs?.errorMessage).toMatch(/the URL is a file uploaded by another organisation/);
  });

  it("another organisation's file as a stored brand's logo draws none of its pixels; the owner's does", async () => {
    const [theirs] = await storedJob(B.orgId, withLogo(), brand(`http://localhost:${port}/v1/files/${fileId}`));
    expect(theirs?.status).toBe('failed');
    expect(theirs?.errorMessage).toMatch(/another organisation/);
    const [own] = await storedJob(A.orgId, withLogo(), brand(`http://localhost:${port}/v1/files/${fileId}`));
    expect(own?.status).toBe('done');
    const bytes = await ctx.blob.get(own!.blobKey!);
    expect(await magentaPixels(bytes!)).toBeGreaterThan(64 * 64 * 0.9);
  });

  it("another organisation's font file in a stored brand is not loaded (a warning says why)", async () => {
    const [scene] = await storedJob(B.orgId, withLogo(), brand(LOGO, fontUrl.replace('127.0.0.1', 'localhost')));
    expect(scene?.status, scene?.errorMessage ?? '').toBe('done');
    expect(scene?.warnings.join('\n')).toMatch(/Font "House" could not be loaded from .*: is a file uploaded by another organisation/);
    const [own] = await storedJob(A.orgId, withLogo(), brand(LOGO, fontUrl.replace('127.0.0.1', 'localhost')));
    expect(own?.warnings.join('\n')).not.toMatch(/Font "House"/);
  });

  it("the owner's stored template draws its picture in any spelling (the check can see pixels)", async () => {
    const [scene] = await storedJob(A.orgId, picture(`${base}/v1/x/../files/${fileId}`), null);
    expect(scene?.status).toBe('done');
    expect(await magentaPixels((await ctx.blob.get(scene!.blobKey!))!)).toBeGreaterThan(64 * 64 * 0.9);
  });
});
