import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_PNG, startServer, type TestServer } from './server.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/** Runs one of examples/*.ts as a user would (`npx tsx examples/…`), against the test server. */
async function example(name: string, args: string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', `examples/${name}`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ADSMITH_SERVER: s.url, ADSMITH_TOKEN: s.token },
    timeout: 90_000,
  });
  return stdout;
}

/**
 * `import { Adsmith } from 'adsmith/client'` from plain Node (no tsx, no
 * loader): the compiled package entry (dist/client, built as `npm install`'s
 * prepare script does) generates against the real server.
 */
let s: TestServer;
beforeAll(async () => {
  await run(process.execPath, [TSC, '-p', 'tsconfig.client.json'], { cwd: ROOT });
  s = await startServer({ workers: 2 });
}, 120_000);
afterAll(async () => s?.close());

describe('the adsmith/client package entry', () => {
  it('plain node imports adsmith/client (package self-reference) and generates, uploading a local file', async () => {
    const script = `
      import { Adsmith, AuthError } from 'adsmith/client';
      const adsmith = new Adsmith({ apiKey: process.env.ADS_TOKEN, baseUrl: process.env.ADS_URL });
      const result = await adsmith.generate({
        template_id: '1062', brand_id: '122',
        elements: [{ content_type: 'Heading #1', content: 'From plain Node' }, { content_type: 'Image #1', content: process.env.ADS_IMAGE }],
      });
      const bytes = await result.scenes[0].bytes();
      const wrong = await new Adsmith({ apiKey: 'wrong-token-000000000', baseUrl: process.env.ADS_URL }).templates.list().catch((e) => e);
      console.log(JSON.stringify({
        execArgv: process.execArgv,
        resolved: import.meta.resolve('adsmith/client'),
        status: result.status,
        scenes: result.scenes.map((s) => [s.key, s.width, s.height, s.status]),
        png: Buffer.from(bytes.subarray(1, 4)).toString(),
        wrongIsAuthError: wrong instanceof AuthError,
      }));
    `;
    // A user's script inside the package, run by plain node: no loader, no flags.
    const file = path.join(ROOT, 'test/output', `plain-node-${process.pid}-${Date.now()}.mjs`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', ADS_TOKEN: s.token, ADS_URL: s.url, ADS_IMAGE: PRODUCT_PNG },
      timeout: 60_000,
    }).finally(() => fs.rmSync(file, { force: true }));
    const out = JSON.parse(stdout) as { execArgv: string[]; resolved: string; status: string; scenes: Array<[string, number, number, string]>; png: string; wrongIsAuthError: boolean };
    expect(out.execArgv).toEqual([]);
    expect(out.resolved).toBe(`file://${ROOT}/dist/client/index.js`);
    expect(out.status).toBe('COMPLETED');
    expect(out.scenes).toHaveLength(8);
    expect(out.scenes[0]).toEqual(['scene_1', 1080, 1080, 'done']);
    expect(out.png).toBe('PNG');
    expect(out.wrongIsAuthError).toBe(true);
  }, 90_000);

  it('ships declarations: a TypeScript consumer type-checks against adsmith/client and a misuse is a type error', async () => {
    // The consumer sits inside the package (self-reference), as the plain-node test does.
    const consumer = path.join(ROOT, 'test/output', `consumer-${process.pid}-${Date.now()}.ts`);
    fs.mkdirSync(path.dirname(consumer), { recursive: true });
    const check = async (body: string) => {
      fs.writeFileSync(consumer, `import { Adsmith, RateLimitError, type GenerateResult } from 'adsmith/client';\n${body}\n`);
      return run(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', consumer], { cwd: ROOT }).then(
        () => 'ok',
        (e: { stdout: string }) => e.stdout,
      );
    };
    try {
      expect(
        await check(`
          const a = new Adsmith({ apiKey: 'x', baseUrl: 'http://localhost:8080' });
          export const r: Promise<GenerateResult> = a.generate({ template_id: '1061' });
          export const retry = (e: unknown) => (e instanceof RateLimitError ? e.retryAfter : undefined);`),
      ).toBe('ok');
      expect(await check(`new Adsmith({ apiKey: 'x' }).generate({ template: '1061' });`)).toMatch(/'template' does not exist in type 'GenerateInput'/);
    } finally {
      fs.rmSync(consumer, { force: true });
    }
  }, 90_000);

  it('examples/*.ts type-check against the package and run against the real server as documented', async () => {
    const files = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(['batch.ts', 'generate.ts', 'manage.ts', 'stream.ts', 'webhook.ts']);
    const tsc = await run(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', ...files.map((f) => `examples/${f}`)], { cwd: ROOT }).then(
      () => 'ok',
      (e: { stdout: string }) => e.stdout,
    );
    expect(tsc).toBe('ok');

    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-example-'));
    const generated = await example('generate.ts', [PRODUCT_PNG, out]);
    expect(generated).toMatch(/^100% \(8\/8 scenes\)$/m);
    expect(fs.readdirSync(out).sort()[0]).toBe('scene_1-1080x1080.png');
    expect(generated).toMatch(/scene_8-160x600\.png {2}Wide skyscraper 160×600 {2}editor: http:\/\/127\.0\.0\.1:\d+\/editor\/job_/);

    const streamed = await example('stream.ts');
    expect(streamed).toMatch(/^IN_PROGRESS \d+% rendering: /m);
    expect(streamed).toMatch(/^COMPLETED 100% rendering: -$/m);
    expect(streamed.match(/^scene_\d done http/gm)).toHaveLength(8);

    const hooked = await example('webhook.ts');
    expect(hooked).toMatch(/^accepted (job_\S+); status at http/m);
    expect(hooked).toMatch(/^webhook job\.completed: job job_\S+ COMPLETED, 8 scenes$/m);

    const batch = await example('batch.ts');
    expect(batch).toMatch(/^batch batch_\S+: 2 rows accepted$/m);
    expect(batch).toMatch(/^shirt: completed, 8 scenes \(first \d+ bytes\)$/m);
    expect(batch).toMatch(/^bag: completed, 8 scenes/m);

    const managed = await example('manage.ts');
    expect(managed).toMatch(/^brand \d+ version 2$/m);
    expect(managed).toMatch(/^uploaded product\.png \(image\/png, \d+ bytes\)/m);
    expect(managed).toMatch(/^template 1062: 8 scenes$/m);
    expect(managed).toMatch(/^not found, as expected: Template "424242" was not found\.$/m);
    expect(managed).toMatch(/^cleaned up$/m);
  }, 240_000);
});
