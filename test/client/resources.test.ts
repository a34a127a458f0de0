import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adsmith, BadRequestError, NotFoundError } from '../../src/client/index.js';
import { PRODUCT_PNG, startServer, type TestServer } from './server.js';

/** Templates, brands, files, jobs and org management against the real server. */
let s: TestServer;
let adsmith: Adsmith;
beforeAll(async () => {
  s = await startServer({ workers: 1 });
  adsmith = new Adsmith({ apiKey: s.token, baseUrl: s.url });
});
afterAll(async () => s.close());

const publicDoc = (rel: string) => JSON.parse(fs.readFileSync(new URL(`../../src/assets/${rel}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('templates and brands', () => {
  it('create, list, read, update (new version), generate with them, delete', async () => {
    const tplDoc = { ...publicDoc('templates/1061.json'), name: 'Spring campaign' };
    const brandDoc = { ...publicDoc('brands/167/brand.json'), name: 'Aurelle private' };
    const tpl = await adsmith.templates.create(tplDoc);
    const brand = await adsmith.brands.create(brandDoc);
    expect(tpl).toMatchObject({ kind: 'template', name: 'Spring campaign', version: 1 });
    expect(brand).toMatchObject({ kind: 'brand', name: 'Aurelle private', version: 1 });

    expect((await adsmith.templates.list()).map((t) => [t.id, t.name, t.number_of_ads])).toEqual([[tpl.id, 'Spring campaign', 8]]);
    expect((await adsmith.brands.list()).map((b) => [b.id, b.name])).toEqual([[brand.id, 'Aurelle private']]);
    const contract = await adsmith.templates.get(tpl.id);
    expect(Object.keys(contract.scene_resolutions)).toHaveLength(8);
    expect((await adsmith.brands.get(brand.id)).document).toMatchObject({ name: 'Aurelle private' });
    expect((await adsmith.brands.get('167')).public).toBe(true);

    const v2 = await adsmith.templates.update(tpl.id, { ...tplDoc, name: 'Spring campaign v2' });
    expect(v2.version).toBe(2);
    expect((await adsmith.templates.versions(tpl.id)).map((v) => v.version)).toEqual([1, 2]);
    expect((await adsmith.templates.version(tpl.id, 1)).document).toMatchObject({ name: 'Spring campaign' });
    expect((await adsmith.templates.document(tpl.id)).name).toBe('Spring campaign v2');

    const result = await adsmith.generate({ template_id: tpl.id, brand_id: brand.id, elements: [{ content_type: 'Heading #1', content: 'Private' }] });
    expect(result.status).toBe('COMPLETED');

    await adsmith.templates.delete(tpl.id);
    await adsmith.brands.delete(brand.id);
    await expect(adsmith.templates.get(tpl.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await adsmith.brands.list()).toEqual([]);
  });

  it('an invalid document is a BadRequestError naming the JSON path', async () => {
    const err = await adsmith.templates.create({ ...publicDoc('templates/1061.json'), scenes: 'none' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toMatch(/^The template document is invalid at \$\.scenes/);
  });
});

describe('files', () => {
  it('upload from a path, list, serve, delete', async () => {
    const file = await adsmith.files.upload(PRODUCT_PNG);
    expect(file).toMatchObject({ filename: 'product.png', mime_type: 'image/png', size: fs.statSync(PRODUCT_PNG).size });
    expect(file.url).toBe(`${s.url}/v1/files/${file.id}`);
    const served = await fetch(file.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(fs.readFileSync(PRODUCT_PNG))).toBe(true);
    expect((await adsmith.files.list()).map((f) => f.id)).toContain(file.id);
    await adsmith.files.delete(file.id);
    expect((await fetch(file.url)).status).toBe(404);
    await expect(adsmith.files.delete(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a URL is not uploaded again: a clear error', async () => {
    await expect(adsmith.files.upload('https://example.com/a.png')).rejects.toThrow('file is already an http(s) URL: use it as it is, no upload needed.');
  });
});

describe('jobs and org', () => {
  it('get, list, attach a handle to an existing job, and another organisation cannot see it', async () => {
    const job = await adsmith.generate({ template_id: '1061' }, { wait: false });
    const handle = await adsmith.jobs.handle(job.id);
    const done = await handle.wait();
    expect(done.scenes).toHaveLength(8);
    const status = await adsmith.jobs.get(job.id);
    expect(status).toMatchObject({ request_id: job.id, status: 'COMPLETED', scenes_done: 8, scenes_total: 8, template_id: '1061' });
    expect((await adsmith.jobs.list()).map((j) => j.request_id)).toContain(job.id);

    const other = await s.newOrg('pro', 'another');
    const theirs = new Adsmith({ apiKey: other.token, baseUrl: s.url });
    await expect(theirs.jobs.get(job.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await theirs.org()).plan).toBe('pro');
    expect((await adsmith.org()).webhook_secret).toMatch(/^whsec_/);
  });
});
