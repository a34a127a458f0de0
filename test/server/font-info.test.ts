import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { scriptCoverage } from '../../src/engine/script-coverage.js';
import { fontInfo, type FontInfo } from '../../src/node/font-info.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { tempDir } from './helpers.js';

/** GET /v1/engine/font-info: a brand font's names, weight, style and script coverage, for the brand kit editor. */
const require = createRequire(import.meta.url);
const fontsource = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files', file);
const HARFBUZZ_FONTS = path.join(path.dirname(require.resolve('harfbuzzjs/package.json')), 'test/fonts/noto');

let app: Awaited<ReturnType<typeof buildApp>>['app'];
let dataDir = '';
const TOKEN = 'font-info-token-0123456789abcdef';
const auth = { api_token: TOKEN };

beforeAll(async () => {
  dataDir = tempDir();
  const built = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 0, logger: false }));
  app = built.app;
  await app.ready();
  await ensureDefaultOrg(built.ctx.store, TOKEN);
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(filename: string, bytes: Buffer) {
  const boundary = 'xxFONTINFOxx';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({ method: 'POST', url: '/v1/files', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

const statusOf = (info: FontInfo, script: string) => info.scripts.find((s) => s.script === script)?.status;

describe('script coverage', () => {
  it('counts each script\'s basic letters: all of them is full, some partial, none none', () => {
    const latin = new Set([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'].map((c) => c.codePointAt(0)!));
    const cov = scriptCoverage(new Set([...latin, 0x410, 0x5d0]));
    expect(cov.find((s) => s.script === 'Latin')).toEqual({ script: 'Latin', covered: 52, total: 52, status: 'full' });
    expect(cov.find((s) => s.script === 'Cyrillic')).toMatchObject({ covered: 1, status: 'partial' });
    expect(cov.find((s) => s.script === 'Hebrew')).toMatchObject({ covered: 1, total: 27, status: 'partial' });
    expect(cov.find((s) => s.script === 'Arabic')).toMatchObject({ covered: 0, status: 'none' });
    latin.delete(0x5a);
    expect(scriptCoverage(latin).find((s) => s.script === 'Latin')).toMatchObject({ covered: 51, status: 'partial' });
  });
});

describe('font info', () => {
  it('reads a TTF\'s names and cmap: Noto Sans sets Latin, Greek and Cyrillic, not Arabic or Han', () => {
    const info = fontInfo(fs.readFileSync(path.join(HARFBUZZ_FONTS, 'NotoSans-Regular.ttf')));
    if ('problem' in info) throw new Error(info.problem);
    expect(info).toMatchObject({ family: 'Noto Sans', weight: 400, style: 'normal' });
    expect(['Latin', 'Latin accents', 'Greek', 'Cyrillic', 'Vietnamese'].map((s) => statusOf(info, s))).toEqual(['full', 'full', 'full', 'full', 'full']);
    expect(['Arabic', 'Hebrew', 'Han', 'Hangul', 'Kana'].map((s) => statusOf(info, s))).toEqual(['none', 'none', 'none', 'none', 'none']);
  });

  it('decompresses WOFF2 and WOFF: a Cyrillic subset covers Cyrillic only; an italic says so', () => {
    const woff2 = fontInfo(fs.readFileSync(fontsource('@fontsource/noto-sans', 'noto-sans-cyrillic-400-italic.woff2')));
    if ('problem' in woff2) throw new Error(woff2.problem);
    expect(woff2).toMatchObject({ format: 'WOFF2', style: 'italic' });
    expect(statusOf(woff2, 'Cyrillic')).toBe('full');
    expect(statusOf(woff2, 'Latin')).toBe('none');
    const woff = fontInfo(fs.readFileSync(fontsource('@fontsource/bebas-neue', 'bebas-neue-latin-400-normal.woff')));
    if ('problem' in woff) throw new Error(woff.problem);
    expect(woff).toMatchObject({ family: 'Bebas Neue', format: 'WOFF' });
    expect(statusOf(woff, 'Latin')).toBe('full');
  });

  it('reads an OTF (CFF outlines) and an Arabic font', () => {
    const otf = fontInfo(fs.readFileSync(path.join(HARFBUZZ_FONTS, 'NotoSansDevanagari-Regular.otf')));
    if ('problem' in otf) throw new Error(otf.problem);
    expect(statusOf(otf, 'Devanagari')).toBe('full');
    const arabic = fontInfo(fs.readFileSync(path.join(HARFBUZZ_FONTS, 'NotoSansArabic-Variable.ttf')));
    if ('problem' in arabic) throw new Error(arabic.problem);
    expect(statusOf(arabic, 'Arabic')).toBe('full');
  });

  it('names the problem of bytes that are no font', () => {
    expect(fontInfo(new TextEncoder().encode('not a font at all'))).toHaveProperty('problem');
  });
});

describe('GET /v1/engine/font-info', () => {
  it('answers an uploaded font\'s coverage to its organisation; refuses a non-font source and a caller without a token', async () => {
    const up = await upload('Bebas.woff2', fs.readFileSync(fontsource('@fontsource/bebas-neue', 'bebas-neue-latin-400-normal.woff2')));
    expect(up.statusCode).toBe(201);
    const url = up.json().url as string;
    const res = await app.inject({ url: `/v1/engine/font-info?${new URLSearchParams({ src: url })}`, headers: auth });
    expect(res.statusCode).toBe(200);
    const info = res.json() as FontInfo;
    expect(info).toMatchObject({ family: 'Bebas Neue', weight: 400, style: 'normal', format: 'WOFF2' });
    expect(info.glyphs).toBeGreaterThan(50);
    expect(statusOf(info, 'Latin')).toBe('full');
    expect(statusOf(info, 'Greek')).toBe('none');

    // Answers are kept by the bytes' hash: another file gets its own, the first its own again.
    const other = (await upload('Cyrillic.woff2', fs.readFileSync(fontsource('@fontsource/noto-sans', 'noto-sans-cyrillic-400-normal.woff2')))).json().url as string;
    const otherInfo = (await app.inject({ url: `/v1/engine/font-info?${new URLSearchParams({ src: other })}`, headers: auth })).json() as FontInfo;
    expect([otherInfo.family, statusOf(otherInfo, 'Cyrillic'), statusOf(otherInfo, 'Latin')]).toEqual(['Noto Sans', 'full', 'none']);
    const again = (await app.inject({ url: `/v1/engine/font-info?${new URLSearchParams({ src: url })}`, headers: auth })).json() as FontInfo;
    expect(again).toEqual(info);

    expect((await app.inject({ url: `/v1/engine/font-info?${new URLSearchParams({ src: url })}` })).statusCode).toBe(401);
    const notFont = await app.inject({ url: '/v1/engine/font-info?src=asset:images/lifestyle.jpg', headers: auth });
    expect(notFont.statusCode).toBe(400);
    expect(notFont.json().error.message).toContain('not a font file');
  });
});
