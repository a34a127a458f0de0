import { SingleBar } from 'cli-progress';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ElementOverride, OutputFormat, PngMode } from '../node/types.js';
import { Renderer, checkRenderRequest } from '../node/render.js';
import { textRendererFromEnv } from '../node/text-renderer.js';
import { loadBrandArg, loadTemplateArg } from './documents.js';
import { CliError } from './errors.js';
import { sceneFileName } from './file-names.js';

export interface RenderCommandOptions {
  template: string;
  brand?: string;
  set: string[];
  out: string;
  format: string;
  scale: string;
  maxKb?: string;
  pngMode: string;
  quiet?: boolean;
  json?: boolean;
}

/** `--set "Heading #1=Summer sale"` fills a slot; `--set "id:s1-heading=…"` one element. */
export function parseSet(entry: string): Pick<ElementOverride, 'id' | 'content_type' | 'content'> {
  const eq = entry.indexOf('=');
  if (eq <= 0) throw new CliError('input', `--set "${entry}" must look like "Heading #1=Summer sale" or "id:ELEMENT_ID=value".`);
  const key = entry.slice(0, eq).trim();
  const content = entry.slice(eq + 1);
  if (key.startsWith('id:')) return { id: key.slice(3), content };
  return { content_type: key, content };
}

export async function renderCommand(opts: RenderCommandOptions): Promise<void> {
  const template = await loadTemplateArg(opts.template);
  const brand = await loadBrandArg(opts.brand);
  const scale = Number(opts.scale);
  const maxKb = opts.maxKb === undefined ? undefined : Number(opts.maxKb);
  if (opts.maxKb !== undefined && !Number.isFinite(maxKb)) throw new CliError('input', `--max-kb "${opts.maxKb}" is not a number.`);
  const request = {
    template,
    brand,
    elements: opts.set.map(parseSet),
    output: { format: opts.format as OutputFormat, scale: scale as 1 | 2, maxKb, pngMode: opts.pngMode as PngMode },
  };
  checkRenderRequest(request);

  // The CLI's own process: its environment says how glyphs are drawn, as the server's does (ADSMITH_TEXT_RENDERER).
  const renderer = new Renderer({ allowFilePaths: true, fetchRemote: fetchBytes, textRenderer: textRendererFromEnv(process.env) });
  await mkdir(opts.out, { recursive: true });
  const total = template.scenes.length;
  const bar = opts.quiet || opts.json || !process.stderr.isTTY ? null : new SingleBar({ format: 'Rendering [{bar}] {value}/{total} {scene}', hideCursor: true, stream: process.stderr });
  bar?.start(total, 0, { scene: '' });
  const written: { scene: string; file: string; width: number; height: number; bytes: number; warnings: string[] }[] = [];
  for (let i = 0; i < total; i++) {
    bar?.update(i, { scene: template.scenes[i]!.name });
    const scene = await renderer.renderScene(request, i);
    const file = join(opts.out, sceneFileName(scene));
    await writeFile(file, scene.bytes);
    written.push({ scene: scene.name, file, width: scene.width, height: scene.height, bytes: scene.bytes.length, warnings: scene.warnings });
    if (!bar && !opts.quiet && !opts.json) process.stderr.write(`[${i + 1}/${total}] ${file}\n`);
  }
  bar?.update(total, { scene: 'done' });
  bar?.stop();
  if (opts.json) {
    process.stdout.write(JSON.stringify({ template: template.id, brand: brand?.id ?? null, scenes: written }, null, 2) + '\n');
    return;
  }
  for (const w of written) {
    if (!opts.quiet) process.stdout.write(`${w.file}  ${w.width}×${w.height}  ${(w.bytes / 1024).toFixed(0)} KB\n`);
    for (const warning of w.warnings) process.stderr.write(`warning: ${warning}\n`);
  }
}

/** Plain fetch for the CLI (a user's own machine): http(s) only, 30 s, 40 MB. */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.length > 40 * 1024 * 1024) throw new Error('larger than 40 MB');
  return buf;
}
