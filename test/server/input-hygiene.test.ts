import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

/**
 * Issue 9, items 5 and 6: client mistakes are 4xx with a message that says what to fix; corrupt
 * images and fonts are refused when they arrive (upload, smart-image input), not by every scene later.
 */
let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.close();
});

const require = createRequire(import.meta.url);
const PRODUCT_PNG = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
const TRUNCATED_PNG = PRODUCT_PNG.subarray(0, Math.floor(PRODUCT_PNG.length * 0.6));
const INTER_WOFF = fs.readFileSync(path.join(path.dirname(require.resolve('@fontsource/inter/package.json')), 'files', 'inter-latin-400-normal.woff'));
const NOTO_TTF = fs.readFileSync(path.join(path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json')), '400Regular', 'NotoSansSC_400Regular.ttf'));

function multipart(filename: string, bytes: Uint8Array) {
  const boundary = '----adsmithhygiene';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (filename: string, bytes: Uint8Array, app = t.app, token = t.token) => {
  const mp = multipart(filename, bytes);
  return app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: token, ...mp.headers }, payload: mp.payload });
};

/** The task protocol's upload: ask for an upload URL, PUT the bytes there. */
async function taskUpload(filename: string, bytes: Uint8Array) {
  const ask = await t.app.inject({ method: 'POST', url: '/files', headers: { api_token: t.token }, payload: { files: [{ filename, size: bytes.length }] } });
  expect(ask.statusCode).toBe(200);
  const body = ask.json() as { data?: Array<{ upload_url: string }> } | Array<{ upload_url: string }>;
  const file = Array.isArray(body) ? body[0]! : body.data![0]!;
  const u = new URL(file.upload_url);
  return t.app.inject({ method: 'PUT', url: `${u.pathname}${u.search}`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(bytes) });
}

const SVG_WITH_FILE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/var/lib/adsmith/blobs/results/x/0.png" width="10" height="10"/></svg>';
const SVG_WITH_DTD = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>';

describe('uploads decode as rendering will (issue 9, items 1, 5, 6)', () => {
  it('a whole PNG, an SVG with a data: picture and a whole font are accepted', async () => {
    expect((await upload('product.png', PRODUCT_PNG)).statusCode).toBe(201);
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="data:image/png;base64,${png.toString('base64')}" width="10" height="10"/></svg>`;
    expect((await upload('logo.svg', Buffer.from(svg))).statusCode).toBe(201);
    const font = await upload('inter.woff', INTER_WOFF);
    expect(font.statusCode).toBe(201);
    expect(font.json()).toMatchObject({ mime_type: 'font/woff' });
  });

  it('a truncated PNG is refused at upload, on both upload paths', async () => {
    for (const res of [await upload('cut.png', TRUNCATED_PNG), await taskUpload('cut.png', TRUNCATED_PNG)]) {
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json())).toMatch(/cut\.png\\?" cannot be used: it does not decode as a PNG image/);
    }
  });

  it('corrupt fonts are refused at upload: a cut-short WOFF, a cut-short TTF, garbage after a TTF tag', async () => {
    const woff = await upload('half.woff', INTER_WOFF.subarray(0, INTER_WOFF.length / 2));
    expect(woff.statusCode).toBe(400);
    expect(woff.json().error.message).toMatch(/half\.woff" cannot be used: it is not a usable WOFF font/);
    const ttf = await upload('tenth.ttf', NOTO_TTF.subarray(0, Math.floor(NOTO_TTF.length / 10)));
    expect(ttf.statusCode).toBe(400);
    expect(ttf.json().error.message).toMatch(/not a usable TTF font: it is cut short: its \w+ table ends at byte \d+ but the file has \d+ bytes/);
    const junk = await upload('junk.ttf', Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(300, 7)]));
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toMatch(/not a usable TTF font/);
    const viaTask = await taskUpload('half.woff', INTER_WOFF.subarray(0, INTER_WOFF.length / 2));
    expect(viaTask.statusCode).toBe(400);
  });

  it('an SVG referring to a file is refused naming the reference', async () => {
    const res = await upload('logo.svg', Buffer.from(SVG_WITH_FILE));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/the SVG refers to "\/var\/lib\/adsmith\/blobs\/results\/x\/0\.png" \(href attribute\) outside the document; an SVG may only embed pictures as data: URIs/);
  });

  it('an SVG with an internal DTD says DTDs and entities are not allowed (not "looks like something else")', async () => {
    const res = await upload('dtd.svg', Buffer.from(SVG_WITH_DTD));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/dtd\.svg" cannot be used: it is an SVG that declares a DTD or entities .* not allowed in SVG/);
    expect(res.json().error.message).not.toMatch(/something else/);
  });

  it('an image over the pixel limit names the limit in pixels, not "megapixels bytes"', async () => {
    // A PNG header claiming 10000×6000 pixels (the limit is read from the header, before decoding).
    const header = Buffer.from(PRODUCT_PNG.subarray(0, 33));
    header.writeUInt32BE(10_000, 16);
    header.writeUInt32BE(6_000, 20);
    const res = await upload('huge.png', header);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toBe('The uploaded file is larger than the limit of 50 megapixels (this image is 10000×6000 = 60000000 pixels). Send a smaller file.');
  });

  it('size limits give the number of bytes', async () => {
    const small = await startApp({ uploadLimit: 1000, bodyLimit: 2000 });
    try {
      const file = await upload('big.png', PRODUCT_PNG, small.app, small.token);
      expect(file.statusCode).toBe(413);
      expect(file.json().error.message).toMatch(/larger than the limit of 1000 bytes/);
      const body = await small.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: small.token, 'content-type': 'application/json' }, payload: JSON.stringify({ template_id: '1061', elements: [{ content: 'x'.repeat(3000) }] }) });
      expect(body.statusCode).toBe(413);
      expect(body.json().error.message).toBe('The request body is larger than the limit of 2000 bytes. Send a smaller body.');
      // The task protocol's PUT: its limit is the upload limit, and it says so.
      const ask = await small.app.inject({ method: 'POST', url: '/files', headers: { api_token: small.token }, payload: { files: [{ filename: 'big.png', size: 10 }] } });
      const target = new URL((ask.json() as { data: Array<{ upload_url: string }> }).data[0]!.upload_url);
      const put = await small.app.inject({ method: 'PUT', url: `${target.pathname}${target.search}`, headers: { 'content-type': 'image/png' }, payload: PRODUCT_PNG });
      expect(put.statusCode).toBe(413);
      expect(put.body).toMatch(/larger than the limit of 1000 bytes/);
    } finally {
      await small.close();
    }
  });
});

describe('request bodies (issue 9, item 6)', () => {
  const post = (payload: string, contentType = 'application/json', url = '/v1/ads/generate') =>
    t.app.inject({ method: 'POST', url, headers: { api_token: t.token, 'content-type': contentType }, payload });

  it('a __proto__ key is named as not allowed, with its path (the body is valid JSON)', async () => {
    const res = await post('{"template_id":"1061","elements":[{"content":"x","__proto__":{"polluted":true}}]}');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ADS_BODY_FORBIDDEN_KEY');
    expect(res.json().error.message).toMatch(/valid JSON but has the key "__proto__" at body\.elements\[0\], which is not allowed/);
    expect(res.json().error.message).not.toMatch(/not valid JSON/);
    const ctor = await post('{"template_id":"1061","constructor":{"prototype":{"x":1}}}');
    expect(ctor.statusCode).toBe(400);
    expect(ctor.json().error.message).toMatch(/the key "constructor\.prototype" at body,/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // A key merely called constructor (no prototype in it) is ordinary data.
    const plain = await post('{"template_id":"1061","constructor":"x"}');
    expect(plain.json().error.message).toMatch(/constructor is not a known field/);
  });

  it('a text/plain body names the content type received and the one expected', async () => {
    const res = await post('{"template_id":"1061"}', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toBe('Content-Type text/plain is not accepted here: send a JSON body with Content-Type: application/json.');
    const xml = await post('<a/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.message).toMatch(/^Content-Type application\/xml is not accepted here/);
  });

  it('broken JSON still says it is not valid JSON', async () => {
    const res = await post('{"template_id": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/not valid JSON/);
  });
});

describe('documents and elements (issue 9, item 5)', () => {
  const template = (elements: unknown[]) => ({
    schema_version: 1,
    name: 'T',
    description: 'd',
    requires_brand: false,
    scenes: [{ name: 's', width: 100, height: 100, background: { type: 'color', color: '#ffffff' }, elements }],
  });

  it('"elements": [null] and non-object elements in a template are a 400 naming the element, not a 500 or a slot message', async () => {
    const org = await t.newOrg('pro');
    for (const bad of [null, 'x', 42, []]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: org.token }, payload: template([bad]) });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.message).toBe('The template document is invalid at $.scenes[0].elements[0]: must be object.');
    }
  });

  it('"elements": [null] in a generate body is a 400 naming the element', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token }, payload: { template_id: '1061', elements: [null] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^elements\[0\] must be object/);
  });

  it('a truncated PNG as the smart image is the contract 422 when the request arrives (as an image element is)', async () => {
    const api = await startApp({ workers: 0 });
    try {
      const org = await api.newOrg('pro');
      const smart = { id: 'si', layer_type: 'smartImage', content_type: 'smartImage', content: '', box: { x: 0, y: 0, width: 100, height: 100 }, style: {} };
      const created = await api.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: org.token }, payload: template([smart]) });
      expect(created.statusCode, created.body).toBe(201);
      // Small enough for a data: URI (8192 characters): a 40×40 noisy PNG, then its first 60 %.
      const noise = Buffer.from(Array.from({ length: 40 * 40 * 3 }, (_, i) => (i * 7919) % 251));
      const small = await sharp(noise, { raw: { width: 40, height: 40, channels: 3 } }).png().toBuffer();
      const input = `data:image/png;base64,${small.subarray(0, Math.floor(small.length * 0.6)).toString('base64')}`;
      const res = await api.app.inject({
        method: 'POST',
        url: '/v1/ads/generate',
        headers: { api_token: org.token },
        payload: { template_id: String(created.json().id), smart_image: { input_image_url: input, scene: { operation: 'expand_image' } } },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatch(/smart_image\.input_image_url: the image is damaged and cannot be decoded/);
      // The whole PNG passes the same check.
      const whole = await api.app.inject({
        method: 'POST',
        url: '/v1/ads/generate',
        headers: { api_token: org.token },
        payload: { template_id: String(created.json().id), smart_image: { input_image_url: `data:image/png;base64,${small.toString('base64')}`, scene: { operation: 'expand_image' } } },
      });
      expect(whole.statusCode, whole.body).toBe(200);
    } finally {
      await api.close();
    }
  });
});
