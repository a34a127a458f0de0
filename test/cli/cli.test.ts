import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/adsmith.js', import.meta.url));

async function adsmith(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('adsmith CLI (no server)', () => {
  it('renders every scene to files named by scene and size', async () => {
    const out = mkdtempSync(join(tmpdir(), 'adsmith-cli-'));
    const res = await adsmith(['render', '--template', '1062', '--brand', '120', '--set', 'Heading #1=Fresh picks daily', '--out', out, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { scenes: { file: string; width: number; height: number }[] };
    expect(report.scenes).toHaveLength(8);
    expect(readdirSync(out).sort()[0]).toBe('01-instagram-post-1080x1080.png');
    for (const s of report.scenes) {
      const meta = await sharp(readFileSync(s.file)).metadata();
      expect([meta.width, meta.height]).toEqual([s.width, s.height]);
      expect(s.file).toContain(`${s.width}x${s.height}`);
    }
  });

  it('honours --format, --scale and --max-kb', async () => {
    const out = mkdtempSync(join(tmpdir(), 'adsmith-cli-'));
    const res = await adsmith(['render', '-t', '1061', '--format', 'jpeg', '--scale', '2', '--max-kb', '120', '--out', out, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files.every((f) => f.endsWith('.jpg'))).toBe(true);
    const square = files.find((f) => f.startsWith('01-'))!;
    expect(square).toContain('2160x2160');
    expect(statSync(join(out, square)).size).toBeLessThanOrEqual(120 * 1024);
  });

  it('takes a template document from a path', async () => {
    const out = mkdtempSync(join(tmpdir(), 'adsmith-cli-'));
    const res = await adsmith(['render', '-t', fileURLToPath(new URL('../../src/assets/templates/1061.json', import.meta.url)), '--out', out, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(out)).toHaveLength(8);
  });

  it('bad input: a clear message and exit code 2, nothing written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'adsmith-cli-')), 'never');
    const slot = await adsmith(['render', '-t', '1062', '-b', '167', '--set', 'Headline=x', '--out', out]);
    expect(slot.code).toBe(2);
    expect(slot.stderr).toContain('is not a slot of template 1062. Its slots are: Basic Shape #1');
    const brand = await adsmith(['render', '-t', '1062', '--out', out]);
    expect(brand.code).toBe(2);
    expect(brand.stderr).toContain('send brand_id (CLI: --brand)');
    const missing = await adsmith(['render', '-t', './nope.json', '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the template file ./nope.json: no such file');
    const image = await adsmith(['render', '-t', '1061', '--set', 'Image #1=./no-such-photo.jpg', '--out', out]);
    expect(image.code).toBe(2);
    expect(image.stderr).toMatch(/image of element "s1-photo" could not be loaded/);
    expect(() => readdirSync(out)).not.toThrow(); // the folder may exist; no ad was written for the failed scene
    expect(readdirSync(out)).toHaveLength(0);
  });

  it('administers organisations: org create prints a token; a bad plan is exit 2', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adsmith-admin-'));
    const ok = await adsmith(['org', 'create', '--name', 'acme', '--plan', 'pro', '--data-dir', dataDir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Created organisation acme \(org_[\w-]+, plan pro\)/);
    expect(ok.stdout).toMatch(/^ads_[\w-]{20,}$/m);
    const bad = await adsmith(['org', 'create', '--name', 'x', '--plan', 'gold', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown plan "gold". Plans: free, pro, unlimited.');
  });

  it('lists templates and brands', async () => {
    const t = await adsmith(['templates', '--json']);
    expect(JSON.parse(t.stdout).map((x: { id: string }) => x.id)).toEqual(['1061', '1062']);
    const b = await adsmith(['brands']);
    expect(b.stdout).toMatch(/^167 {2}Aurelle/m);
  });
});
