import fs from 'node:fs';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, ensureDefaultOrg } from '../../src/admin/index.js';
import { sniff } from '../../src/net/sniff.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, parseFrameAncestors } from '../../src/server/config.js';
import type { ServerContext } from '../../src/server/context.js';
import { EditorRenderer } from '../../src/server/editor/renderer.js';
import { editorSignature } from '../../src/server/contract/views.js';
import { webPage } from '../../src/server/pages/web.js';
import { tempDir } from './helpers.js';

/**
 * The editor's server side with the real engine and real render threads: the page at editor_iframe (links,
 * framing), the session, saves (pixels of the new revision), conflicts, apply-to-all and uploads.
 */
const TOKEN = 'editor-test-token-0123456789';
let app: Awaited<ReturnType<typeof buildApp>>['app'];
let ctx: ServerContext;
let dataDir = '';

/** A small brand-free template: white scenes with a black heading, a body and an image slot; quick to render, easy to read back. */
function testTemplate(headingColor = '#000000') {
  const scene = (i: number, width: number, height: number) => ({
    name: `Size ${i + 1}`,
    width,
    height,
    background: { type: 'color', color: '#FFFFFF' },
    elements: [
      {
        id: `s${i}-heading`, name: 'Headline', layer_type: 'text', content_type: 'Heading #1', content: 'HELLO',
        box: { x: 20, y: 20, width: 300, height: 80 },
        style: { font_family: 'Montserrat', font_weight: 800, font_size: { max: 60, min: 20 }, max_lines: 1, align: 'left', vertical_align: 'top', color: headingColor },
      },
      {
        id: `s${i}-body`, name: 'Body', layer_type: 'text', content_type: 'Body #1', content: 'Small print',
        box: { x: 20, y: 300, width: 300, height: 40 },
        style: { font_family: 'Montserrat', font_weight: 400, font_size: { max: 24, min: 10 }, max_lines: 1, align: 'left', vertical_align: 'top', color: '#000000' },
      },
      { id: `s${i}-photo`, name: 'Photo', layer_type: 'image', content_type: 'Image #1', content: '', box: { x: 400, y: 20, width: 150, height: 150 }, style: { fit: 'cover' } },
    ],
  });
  return { schema_version: 1, name: 'Editor test', description: 'two sizes', requires_brand: false, scenes: [scene(0, 600, 400), scene(1, 640, 420)] };
}

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { api_token: TOKEN }, ...(payload !== undefined ? { payload: payload as object } : {}) });

interface Generated {
  jobId: string;
  templateId: number;
  result: Array<{ id: string; url: string; editor_iframe: string }>;
}

async function generate(templateId?: number): Promise<Generated> {
  let id = templateId;
  if (id === undefined) {
    const created = await api('POST', '/v1/ads/templates', testTemplate());
    expect(created.statusCode).toBe(201);
    id = created.json().id as number;
  }
  const res = await api('POST', '/v1/ads/generate', { template_id: String(id), sync: true, elements: [{ content_type: 'Body #1', content: 'Made by the job' }] });
  expect(res.statusCode).toBe(200);
  expect(res.json().status).toBe('COMPLETED');
  return { jobId: res.json().request_id, templateId: id, result: res.json().result };
}

/** The session header from an editor_iframe URL, as the editor page builds it from `location`. */
function sessionOf(editorUrl: string): string {
  const u = new URL(editorUrl);
  const [, , job, scene] = u.pathname.split('/');
  return `${job}.${scene}.${u.searchParams.get('exp')}.${u.searchParams.get('sig')}`;
}
const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search; };
const editor = (session: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { 'x-adsmith-editor': session, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function grey(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
/** Dark pixels (ink) inside a box of a greyscale image. */
function ink(img: { data: Buffer; width: number }, box: { x: number; y: number; width: number; height: number }): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) if ((img.data[y * img.width + x] ?? 255) < 100) n++;
  return n;
}

/** Pixels of a box that differ by more than 16 grey levels between two images. */
function changed(a: { data: Buffer; width: number }, b: { data: Buffer; width: number }, box: { x: number; y: number; width: number; height: number }): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) if (Math.abs((a.data[y * a.width + x] ?? 0) - (b.data[y * b.width + x] ?? 0)) > 16) n++;
  return n;
}

function multipart(filename: string, type: string, bytes: Buffer) {
  const boundary = '----adsmitheditor';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: ${type}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

beforeAll(async () => {
  dataDir = tempDir();
  const config = loadConfig(
    { NODE_ENV: 'test', ADSMITH_EDITOR_FRAME_ANCESTORS: "https://host.example 'self'" },
    { dataDir, publicUrl: 'http://ads.test', workers: 1, logger: false },
  );
  const built = await buildApp(config);
  app = built.app;
  ctx = built.ctx;
  await app.ready();
  await ensureDefaultOrg(ctx.store, TOKEN);
}, 60_000);
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('ADSMITH_EDITOR_FRAME_ANCESTORS', () => {
  it('takes origins, self and *; a wrong entry names the variable', () => {
    expect(parseFrameAncestors(undefined)).toEqual(['*']);
    expect(parseFrameAncestors("https://a.example  http://localhost:3000/ 'self'")).toEqual(['https://a.example', 'http://localhost:3000', "'self'"]);
    for (const bad of ['a.example', 'https://a.example/path', 'ftp://a.example', 'https://*.a.example', 'https://a.example?x=1']) {
      expect(() => parseFrameAncestors(bad)).toThrow(new RegExp(`ADSMITH_EDITOR_FRAME_ANCESTORS: "${bad.replace(/[.*?/]/g, '\\$&')}" is not an origin`));
    }
  });
});

describe("the editor's render thread", () => {
  it('starts on the first save, stops when idle, starts again for the next', async () => {
    const gen = await generate();
    const job = (await ctx.store.getJob(gen.jobId))!;
    const renderer = new EditorRenderer(ctx, 300);
    try {
      expect(renderer.running).toBe(false);
      const first = await renderer.render(job, job.template as never, 0, []);
      expect(sniff(first.bytes)).toMatchObject({ type: 'png', width: 600, height: 400 });
      expect(renderer.running).toBe(true);
      await new Promise((r) => setTimeout(r, 800));
      expect(renderer.running).toBe(false);
      const again = await renderer.render(job, job.template as never, 1, []);
      expect(sniff(again.bytes)).toMatchObject({ type: 'png', width: 640, height: 420 });
    } finally {
      await renderer.close();
    }
    expect(renderer.running).toBe(false);
  });
});

describe('the editor link', () => {
  let gen: Generated;
  beforeAll(async () => {
    gen = await generate();
  }, 60_000);

  it('a valid link opens the built editor page, framed only by the configured ancestors', async () => {
    const res = await app.inject(pathOf(gen.result[0]!.editor_iframe));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(webPage('editor'));
    expect(res.headers['cache-control']).toBe('private, no-store');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors https://host.example 'self'");
    for (const directive of ["default-src 'self'", "img-src 'self' data: blob:", "font-src 'self' data: blob:", "connect-src 'self'", "style-src 'self' 'unsafe-inline'"]) expect(csp).toContain(directive);
    expect(res.headers['x-frame-options']).toBeUndefined();
  });

  it('a tampered or forged link gets the 403 page; an expired one the 410 page; an unknown scene the 404 page', async () => {
    const u = new URL(gen.result[0]!.editor_iframe);
    const sig = u.searchParams.get('sig')!;
    const exp = Number(u.searchParams.get('exp'));
    const tamperedSig = `${u.pathname}?exp=${exp}&sig=${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    const otherScene = `${u.pathname.replace(/\/1$/, '/2')}?exp=${exp}&sig=${sig}`;
    const longerLife = `${u.pathname}?exp=${exp + 3600}&sig=${sig}`;
    const forged = `${u.pathname}?exp=${exp}&sig=${editorSignature('not-the-server-key', gen.jobId, 0, exp)}`;
    for (const url of [tamperedSig, otherScene, longerLife, forged, `${u.pathname}`]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('This editor link is not valid');
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors https://host.example 'self'");
    }
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await app.inject(`/editor/${gen.jobId}/1?exp=${past}&sig=${editorSignature(ctx.editorKey, gen.jobId, 0, past)}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This editor link has expired');
    expect(expired.body).toContain('Ask the app you came from for a fresh link');
    const future = Math.floor(Date.now() / 1000) + 600;
    const missing = await app.inject(`/editor/${gen.jobId}/9?exp=${future}&sig=${editorSignature(ctx.editorKey, gen.jobId, 8, future)}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('This ad was not found');
    for (const page of [expired.body, missing.body]) expect(page.toLowerCase()).not.toContain('adsmith');
  });

  it('the API refuses a missing, tampered or expired session header', async () => {
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const none = await app.inject({ url: '/v1/editor/session' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('ADS_EDITOR_SESSION_MISSING');
    const [job, , exp, sig] = session.split('.');
    // The scene is part of what is signed: a session for scene 1 does not open scene 2.
    const other = await editor(`${job}.2.${exp}.${sig}`, 'GET', '/v1/editor/session');
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('ADS_EDITOR_LINK_INVALID');
    const past = Math.floor(Date.now() / 1000) - 1;
    const old = await editor(`${job}.1.${past}.${editorSignature(ctx.editorKey, job!, 0, past)}`, 'GET', '/v1/editor/session');
    expect(old.statusCode).toBe(410);
    expect(old.json().error.code).toBe('ADS_EDITOR_LINK_EXPIRED');
  });
});

describe('the editor API', () => {
  it('session: the template and brand versions the job used (not a later version), inputs, scenes, no edit yet', async () => {
    const gen = await generate();
    const updated = await api('PUT', `/v1/ads/templates/${gen.templateId}`, testTemplate('#FF0000'));
    expect(updated.statusCode).toBe(200);
    expect(updated.json().version).toBe(2);
    const res = await editor(sessionOf(gen.result[1]!.editor_iframe), 'GET', '/v1/editor/session');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const s = res.json();
    expect(s.job_id).toBe(gen.jobId);
    expect(s.scene).toBe(2);
    expect(s.template_ref).toEqual({ kind: 'private', id: String(gen.templateId), version: 1 });
    expect(s.template.scenes[0].elements[0].style.color).toBe('#000000');
    expect(s.brand).toBeNull();
    expect(s.elements).toEqual([{ content_type: 'Body #1', content: 'Made by the job' }]);
    expect(s.scenes.map((x: { scene: number; width: number; height: number; url: string; revision: number }) => [x.scene, x.width, x.height, x.url, x.revision])).toEqual([
      [1, 600, 400, gen.result[0]!.url, 0],
      [2, 640, 420, gen.result[1]!.url, 0],
    ]);
    expect(s.edit).toEqual({ revision: 0, scene_doc: null, elements: [] });
    expect(s.allowed_origins).toEqual(['https://host.example', 'http://ads.test']);
  });

  it('save: a new revision with its own URL, drawn by the engine with the edit; the original URL keeps its image', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const originalPng = (await app.inject(pathOf(gen.result[0]!.url))).rawPayload;
    const sceneDoc = structuredClone(s.template.scenes[0]);
    sceneDoc.elements[0].box = { ...sceneDoc.elements[0].box, x: 220, y: 200 };
    const saved = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: sceneDoc, elements: s.elements });
    expect(saved.statusCode, saved.body).toBe(201);
    const body = saved.json();
    expect(body).toMatchObject({ scene_id: `${gen.jobId}-1`, scene: 1, revision: 1, width: 600, height: 400 });
    expect(body.url).toMatch(/^http:\/\/ads\.test\/v1\/results\/[A-Za-z0-9_-]{32}\.png$/);
    expect(body.url).not.toBe(gen.result[0]!.url);

    const newPng = (await app.inject(pathOf(body.url))).rawPayload;
    if (process.env['EDITOR_TEST_DUMP']) for (const [n, b] of [['original', originalPng], ['saved', newPng]] as const) fs.writeFileSync(`${process.env['EDITOR_TEST_DUMP']}/${n}.png`, b);
    expect(sniff(newPng)).toMatchObject({ type: 'png', width: 600, height: 400 });
    const before = await grey(originalPng);
    const after = await grey(newPng);
    const oldBox = { x: 20, y: 20, width: 300, height: 80 };
    const newBox = { x: 220, y: 200, width: 300, height: 80 };
    // The heading's ink left its old place and is at the new one; the body did not move.
    expect(ink(before, oldBox)).toBeGreaterThan(500);
    expect(ink(after, oldBox)).toBe(0);
    expect(ink(before, newBox)).toBe(0);
    expect(Math.abs(ink(after, newBox) - ink(before, oldBox))).toBeLessThan(ink(before, oldBox) * 0.05);
    const bodyBox = { x: 20, y: 300, width: 300, height: 40 };
    expect(ink(after, bodyBox)).toBe(ink(before, bodyBox));

    const originalAgain = await app.inject(pathOf(gen.result[0]!.url));
    expect(originalAgain.statusCode).toBe(200);
    expect(Buffer.compare(originalAgain.rawPayload, originalPng)).toBe(0);

    const again = (await editor(session, 'GET', '/v1/editor/session')).json();
    expect(again.edit.revision).toBe(1);
    expect(again.edit.scene_doc.elements[0].box).toMatchObject({ x: 220, y: 200 });
    expect(again.scenes[0]).toMatchObject({ revision: 1, url: body.url });
    const list = (await editor(session, 'GET', '/v1/editor/revisions')).json();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ revision: 1, url: body.url });

    // A stale editor (still on revision 0) gets the conflict, and revision 1 keeps its image.
    const stale = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: s.template.scenes[0], elements: s.elements });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toEqual({ code: 'ADS_EDITOR_CONFLICT', message: 'This scene was changed elsewhere (revision 1 is newer than yours); reload the editor to see it.' });
    expect((await editor(session, 'GET', '/v1/editor/revisions')).json()).toHaveLength(1);
    expect(Buffer.compare((await app.inject(pathOf(body.url))).rawPayload, newPng)).toBe(0);
  });

  it('two saves racing on the same revision: one wins, the other is a conflict', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[1]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const doc = (text: string) => ({ ...s.template.scenes[1], elements: s.template.scenes[1].elements.map((e: { id: string }) => (e.id === 's1-heading' ? { ...e, content: text } : e)) });
    const [a, b] = await Promise.all([
      editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc('A'), elements: [] }),
      editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc('B'), elements: [] }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const revisions = await ctx.store.listSceneRevisions(gen.jobId, 1);
    expect(revisions).toHaveLength(1);
    // Nothing of the loser was kept: the only revision image on disk is the winner's.
    const dir = `${dataDir}/blobs/revisions/${gen.jobId}/1`;
    expect(fs.readdirSync(dir)).toEqual([revisions[0]!.file]);
  });

  it('an invalid scene_doc is a 400 naming its JSON path, and nothing is saved', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const doc = structuredClone(s.template.scenes[0]);
    doc.elements[1].box.width = 'wide';
    const res = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ADS_EDITOR_SCENE_INVALID');
    expect(res.json().error.message).toMatch(/^The edited scene is invalid at \$\.scene_doc\.elements\[1\]\.box\.width: /);
    const unknownField = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: { ...s.template.scenes[0], colour: 'red' }, elements: [] });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.message).toContain('$.scene_doc.colour');
    const badBody = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: -1, scene_doc: doc, elements: [] });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error.message).toMatch(/^base_revision /);
    expect(await ctx.store.listSceneRevisions(gen.jobId)).toEqual([]);
  });

  it('a scene that cannot be drawn is a 422 saying why, and nothing is written (no row, no image)', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const doc = structuredClone(s.template.scenes[0]);
    doc.elements[2].content = 'asset:images/no-such-picture.png';
    const res = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: s.elements });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('ADS_EDITOR_RENDER_FAILED');
    expect(res.json().error.message).toMatch(/^The edited scene could not be drawn, so nothing was saved: .*s0-photo.*Fix it and save again\.$/);
    expect(await ctx.store.listSceneRevisions(gen.jobId)).toEqual([]);
    expect(fs.existsSync(`${dataDir}/blobs/revisions/${gen.jobId}`)).toBe(false);
  });

  it("another organisation's uploaded file in scene_doc is refused, naming where it is", async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const other = await createOrg(ctx.store, { name: 'other', plan: 'pro' });
    const png = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
    const m = multipart('theirs.png', 'image/png', png);
    const up = await app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: other.token, ...m.headers }, payload: m.payload });
    expect(up.statusCode).toBe(201);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const doc = structuredClone(s.template.scenes[0]);
    doc.elements[2].content = up.json().url;
    const res = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: [] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('ADS_URL_UNUSABLE');
    expect(res.json().error.message).toContain('$.scene_doc.elements[2].content');
    expect(res.json().error.message).toContain('another organisation');
    expect(await ctx.store.listSceneRevisions(gen.jobId)).toEqual([]);

    // The same image uploaded through the editor (a file of the job's organisation) renders.
    const mine = multipart('mine.png', 'image/png', png);
    const own = await app.inject({ method: 'POST', url: '/v1/editor/uploads', headers: { 'x-adsmith-editor': session, ...mine.headers }, payload: mine.payload });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ mime_type: 'image/png', width: sniff(png).width, height: sniff(png).height });
    expect(own.json().url).toMatch(/^http:\/\/ads\.test\/v1\/files\//);
    doc.elements[2].content = own.json().url;
    const ok = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: s.elements });
    expect(ok.statusCode, ok.body).toBe(201);
    const withPhoto = (await app.inject(pathOf(ok.json().url))).rawPayload;
    if (process.env['EDITOR_TEST_DUMP']) fs.writeFileSync(`${process.env['EDITOR_TEST_DUMP']}/photo.png`, withPhoto);
    const img = await grey(withPhoto);
    const before = await grey((await app.inject(pathOf(gen.result[0]!.url))).rawPayload);
    // The empty image slot drew nothing (white); now the photo fills it, and nothing outside it changed.
    const photoBox = { x: 400, y: 20, width: 150, height: 150 };
    expect(changed(before, img, photoBox)).toBeGreaterThan(150 * 150 * 0.3);
    expect(changed(before, img, { x: 0, y: 0, width: 390, height: 400 })).toBe(0);
  });

  it('random and mutated save bodies never get a 5xx, always a catalogue error body or a saved revision', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const base = s.template.scenes[0];
    // A scene with one field of one element (or of the scene) replaced by anything.
    const mutated = fc.record({ el: fc.nat(base.elements.length), key: fc.constantFrom('box', 'style', 'content', 'layer_type', 'id', 'content_type', 'width', 'background', 'x'), value: fc.anything() }).map(({ el, key, value }) => {
      const doc = structuredClone(base);
      const target = el < doc.elements.length ? doc.elements[el] : doc;
      target[key] = value;
      return doc;
    });
    let revision = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ base_revision: fc.oneof(fc.constant(-1), fc.anything()), scene_doc: fc.oneof(mutated, fc.anything()), elements: fc.oneof(fc.constant([]), fc.anything()) }),
        fc.boolean(),
        async (body, current) => {
          if (current) body.base_revision = revision;
          const res = await editor(session, 'POST', '/v1/editor/revisions', body);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode === 201) revision = res.json().revision;
          else expect(res.json().error).toEqual({ code: expect.stringMatching(/^ADS_/), message: expect.any(String) });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('upload of a non-image: 422 saying what was received', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const m = multipart('notes.txt', 'text/plain', Buffer.from('just some words\n'));
    const res = await app.inject({ method: 'POST', url: '/v1/editor/uploads', headers: { 'x-adsmith-editor': session, ...m.headers }, payload: m.payload });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({
      code: 'ADS_EDITOR_UPLOAD_NOT_IMAGE',
      message: 'The uploaded file "notes.txt" is not an image: it was sent as text/plain and its bytes look like text. Upload a PNG, JPEG, GIF, WebP, AVIF or SVG image.',
    });
    const noFile = await app.inject({ method: 'POST', url: '/v1/editor/uploads', headers: { 'x-adsmith-editor': session } });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.code).toBe('ADS_UPLOAD_MISSING');
  });

  it('apply to all sizes: the content edit reaches every scene as a new revision, each keeping its own layout edit', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    // Scene 1 has a layout edit (heading moved); scene 2 has none.
    const moved = structuredClone(s.template.scenes[0]);
    moved.elements[0].box = { ...moved.elements[0].box, x: 220, y: 200 };
    // …and its heading text set by id, which the content applied to all sizes replaces.
    expect((await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: moved, elements: [...s.elements, { id: 's0-heading', content: 'OLD' }] })).statusCode).toBe(201);

    const refused = await editor(session, 'POST', '/v1/editor/apply-to-all', { elements: [{ id: 's0-heading', content: 'x' }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/^elements\[0\] must fill a slot by content_type/);

    const res = await editor(session, 'POST', '/v1/editor/apply-to-all', { elements: [{ content_type: 'Heading #1', content: 'WWWWWW' }] });
    expect(res.statusCode, res.body).toBe(201);
    const scenes = res.json().scenes as Array<{ scene: number; revision: number; url: string; width: number; height: number }>;
    expect(scenes.map((x) => [x.scene, x.revision, x.width, x.height])).toEqual([[1, 2, 600, 400], [2, 1, 640, 420]]);
    const revs = await ctx.store.listSceneRevisions(gen.jobId);
    const latest = (i: number) => revs.filter((r) => r.index === i).at(-1)!;
    // The job's own input (Body #1) is kept, the heading is replaced; scene 1 keeps its moved heading.
    expect(latest(0).elements).toEqual([{ content_type: 'Body #1', content: 'Made by the job' }, { content_type: 'Heading #1', content: 'WWWWWW' }]);
    expect((latest(0).sceneDoc as { elements: Array<{ box: object }> }).elements[0]!.box).toMatchObject({ x: 220, y: 200 });
    expect(latest(1).elements).toEqual([{ content_type: 'Body #1', content: 'Made by the job' }, { content_type: 'Heading #1', content: 'WWWWWW' }]);
    // Pixels: the wider text has more ink than "HELLO", at the moved place in scene 1 and at the template's place in scene 2.
    const one = await grey((await app.inject(pathOf(scenes[0]!.url))).rawPayload);
    const two = await grey((await app.inject(pathOf(scenes[1]!.url))).rawPayload);
    const orig2 = await grey((await app.inject(pathOf(gen.result[1]!.url))).rawPayload);
    expect(ink(one, { x: 20, y: 20, width: 300, height: 80 })).toBe(0);
    expect(ink(one, { x: 220, y: 200, width: 300, height: 80 })).toBeGreaterThan(0);
    expect(ink(two, { x: 20, y: 20, width: 300, height: 80 })).not.toBe(ink(orig2, { x: 20, y: 20, width: 300, height: 80 }));
  });

  it('a job with a smart image: the save composes the smart-image frame for the edited box', async () => {
    const tpl = testTemplate();
    tpl.scenes = [tpl.scenes[0]!];
    (tpl.scenes[0]!.elements as unknown[]).push({
      id: 's0-product', name: 'Product', layer_type: 'smartImage', content_type: 'smartImage', content: '',
      box: { x: 400, y: 200, width: 180, height: 180 }, style: { fit: 'contain', placement: { anchor: 'center', padding: 0.04 } },
    });
    const created = await api('POST', '/v1/ads/templates', tpl);
    expect(created.statusCode, created.body).toBe(201);
    const png = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
    const m = multipart('product.png', 'image/png', png);
    const up = await app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: TOKEN, ...m.headers }, payload: m.payload });
    const res = await api('POST', '/v1/ads/generate', {
      template_id: String(created.json().id), sync: true,
      smart_image: { input_image_url: up.json().url, scene: { operation: 'lifestyle_shot_by_text', input: '#3050C0' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('COMPLETED');
    const session = sessionOf(res.json().result[0].editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const doc = structuredClone(s.template.scenes[0]);
    doc.elements[3].box = { x: 20, y: 120, width: 180, height: 180 };
    const saved = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: [] });
    expect(saved.statusCode, saved.body).toBe(201);
    const before = (await app.inject(pathOf(res.json().result[0].url))).rawPayload;
    const after = (await app.inject(pathOf(saved.json().url))).rawPayload;
    if (process.env['EDITOR_TEST_DUMP']) for (const [n, b] of [['smart-original', before], ['smart-saved', after]] as const) fs.writeFileSync(`${process.env['EDITOR_TEST_DUMP']}/${n}.png`, b);
    // The frame (the photo on its blue ground) left its old box and fills the new one.
    const blue = async (b: Buffer, box: { x: number; y: number; width: number; height: number }) => {
      const { data, info } = await sharp(b).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let n = 0;
      for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) {
        const i = (y * info.width + x) * 3;
        if ((data[i + 2] ?? 0) > 150 && (data[i] ?? 255) < 100) n++;
      }
      return n;
    };
    const oldBox = { x: 400, y: 200, width: 180, height: 180 };
    const newBox = { x: 20, y: 120, width: 180, height: 180 };
    expect(await blue(before, oldBox)).toBeGreaterThan(180 * 180 * 0.3);
    expect(await blue(before, newBox)).toBe(0);
    expect(await blue(after, oldBox)).toBe(0);
    expect(await blue(after, newBox)).toBeGreaterThan(180 * 180 * 0.3);
  });

  it('a job that asked for content moderation: an edit is moderated like its inputs were (a flagged text is refused, named by its path)', async () => {
    const created = await api('POST', '/v1/ads/templates', testTemplate());
    const res = await api('POST', '/v1/ads/generate', { template_id: String(created.json().id), content_moderation: true, sync: true, elements: [{ content_type: 'Heading #1', content: 'Hi' }] });
    expect(res.statusCode).toBe(200);
    const session = sessionOf(res.json().result[0].editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const doc = structuredClone(s.template.scenes[0]);
    doc.elements[1].content = 'what the fuck';
    const flagged = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: s.elements });
    expect(flagged.statusCode).toBe(422);
    expect(flagged.json().error).toMatchObject({ code: 'ADS_INPUT_MODERATED' });
    expect(flagged.json().error.message).toContain("'$.scene_doc.elements[1].content'");
    const viaInputs = await editor(session, 'POST', '/v1/editor/apply-to-all', { elements: [{ content_type: 'Body #1', content: 'fuck this' }] });
    expect(viaInputs.statusCode).toBe(422);
    expect(viaInputs.json().error.message).toContain("'$.elements[0].content'");
    expect(await ctx.store.listSceneRevisions(res.json().request_id)).toEqual([]);
    doc.elements[1].content = 'Fresh and clean';
    const clean = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: doc, elements: s.elements });
    expect(clean.statusCode, clean.body).toBe(201);
  });

  it('an edit is held to the output limits like a generate: a scene made 8192×8192 or a 6,000-character text is a 400, and nothing is saved', async () => {
    const gen = await generate();
    const session = sessionOf(gen.result[0]!.editor_iframe);
    const s = (await editor(session, 'GET', '/v1/editor/session')).json();
    const huge = { ...structuredClone(s.template.scenes[0]), width: 8192, height: 8192 };
    const tooBig = await editor(session, 'POST', '/v1/editor/revisions', { base_revision: 0, scene_doc: huge, elements: s.elements });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error).toMatchObject({ code: 'ADS_SCENE_TOO_LARGE', message: expect.stringMatching(/is 8,192×8,192 px at scale 1 = 67,108,864 pixels, over the limit of 40,000,000 pixels per scene/) });
    const long = await editor(session, 'POST', '/v1/editor/apply-to-all', { elements: [{ content_type: 'Body #1', content: 'x'.repeat(6_000) }] });
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'ADS_TEXT_TOO_LONG', message: expect.stringMatching(/has 6,000 characters, over the limit of 5,000/) });
    expect(await ctx.store.listSceneRevisions(gen.jobId)).toEqual([]);
  });
});
