import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adsmith, GenerateInput, GenerateResult, OutputFormat, Scene, SmartImageInput } from '../client/index.js';
import { connect, type ServerOptions } from './connect.js';
import { AdsmithError as ClientError } from '../client/index.js';
import { CliError, exitKindOf } from './errors.js';
import { formatOfUrl, sceneFileName } from './file-names.js';
import { parseSet } from './render-command.js';
import { sceneProgress, type ProgressSink } from './scene-progress.js';

export interface GenerateCommandOptions extends ServerOptions {
  template: string;
  brand?: string;
  set: string[];
  image?: string;
  operation?: string;
  prompt?: string;
  out: string;
  format: string;
  scale: string;
  maxKb?: string;
  webhook?: string;
  /** commander's --no-wait. */
  wait: boolean;
  moderate?: boolean;
  json?: boolean;
  quiet?: boolean;
}

const FORMATS = ['png', 'jpeg', 'webp'];
const OPERATIONS = ['lifestyle_shot_by_text', 'expand_image'];

/** The output options shared by `generate` and `batch`, checked before anything is sent. */
export function outputOptions(opts: { format: string; scale: string; maxKb?: string; moderate?: boolean; webhook?: string }): Pick<GenerateInput, 'output_format' | 'scale' | 'max_kb' | 'content_moderation' | 'webhook_url'> {
  if (!FORMATS.includes(opts.format)) throw new CliError('input', `--format "${opts.format}" must be one of: ${FORMATS.join(', ')}.`);
  if (opts.scale !== '1' && opts.scale !== '2') throw new CliError('input', `--scale "${opts.scale}" must be 1 or 2.`);
  const maxKb = opts.maxKb === undefined ? undefined : Number(opts.maxKb);
  if (maxKb !== undefined && !(Number.isFinite(maxKb) && maxKb > 0)) throw new CliError('input', `--max-kb "${opts.maxKb}" must be a positive number of kilobytes.`);
  return {
    output_format: opts.format as OutputFormat,
    scale: Number(opts.scale) as 1 | 2,
    ...(maxKb !== undefined ? { max_kb: maxKb } : {}),
    ...(opts.moderate ? { content_moderation: true } : {}),
    ...(opts.webhook ? { webhook_url: opts.webhook } : {}),
  };
}

/** `--operation` and `--prompt` as the smart image's scene; checked here so a typo is exit 2 before any upload. */
export function smartScene(operation: string | undefined, prompt: string | undefined, what = '--operation'): SmartImageInput['scene'] | undefined {
  if (operation !== undefined && !OPERATIONS.includes(operation)) throw new CliError('input', `${what} "${operation}" must be one of: ${OPERATIONS.join(', ')}.`);
  if (operation === undefined && prompt === undefined) return undefined;
  return { ...(operation ? { operation: operation as 'lifestyle_shot_by_text' | 'expand_image' } : {}), ...(prompt !== undefined ? { input: prompt } : {}) };
}

function requestOf(opts: GenerateCommandOptions): GenerateInput {
  const scene = smartScene(opts.operation, opts.prompt);
  if (scene && !opts.image) throw new CliError('input', '--operation and --prompt act on the product photo: add --image ./product.jpg (a path or URL).');
  return {
    template_id: opts.template,
    ...(opts.brand ? { brand_id: opts.brand } : {}),
    elements: opts.set.map(parseSet),
    ...(opts.image ? { smart_image: { input_image_url: opts.image, ...(scene ? { scene } : {}) } } : {}),
    ...outputOptions(opts),
  };
}

/** Saves scenes into `dir` a few at a time; answers each saved scene's file and size. */
export async function saveScenes(scenes: Scene[], dir: string, onSaved: (scene: Scene, file: string) => void): Promise<Map<string, { file: string; bytes: number }>> {
  await mkdir(dir, { recursive: true });
  const saved = new Map<string, { file: string; bytes: number }>();
  const queue = scenes.filter((s) => s.status === 'done' || s.status === 'moderated');
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const bytes = await s.bytes();
      const file = join(dir, sceneFileName({ index: s.index, name: s.name, width: s.width, height: s.height, format: formatOfUrl(s.url) }));
      await writeFile(file, bytes);
      saved.set(s.key, { file, bytes: bytes.byteLength });
      onSaved(s, file);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return saved;
}

/** Ctrl-C aborts the signal (the client then cancels the job); a second Ctrl-C exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  // Every request of a run listens to this one signal.
  setMaxListeners(0, controller.signal);
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new CliError('interrupted', 'Interrupted (Ctrl-C).'));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

function report(result: GenerateResult, saved: Map<string, { file: string; bytes: number }>, opts: GenerateCommandOptions): void {
  if (opts.json) {
    const scenes = result.scenes.map((s) => ({
      key: s.key,
      name: s.name,
      width: s.width,
      height: s.height,
      status: s.status,
      url: s.url,
      editor_iframe: s.editor_iframe,
      ...(saved.has(s.key) ? saved.get(s.key) : {}),
      ...(s.error ? { error: s.error } : {}),
    }));
    process.stdout.write(JSON.stringify({ request_id: result.request_id, status: result.status, status_url: result.status_url, scenes }, null, 2) + '\n');
    return;
  }
  if (opts.quiet) return;
  for (const s of result.scenes) {
    const file = saved.get(s.key);
    if (file) process.stdout.write(`${file.file}  ${s.width}×${s.height}  ${(file.bytes / 1024).toFixed(0)} KB\n`);
    else process.stdout.write(`${s.key} ${s.name}: ${s.status}${s.error ? ` — ${s.error.message}` : ''}\n`);
  }
}

async function generateAndSave(client: Adsmith, input: GenerateInput, opts: GenerateCommandOptions, progress: ProgressSink): Promise<void> {
  const interrupt = interruptSignal();
  try {
    const result = await client.generate(input, { onProgress: (p) => progress.update(p), signal: interrupt.signal });
    const saved = await saveScenes(result.scenes, opts.out, (s, file) => progress.saved(s.key, file));
    progress.stop();
    report(result, saved, opts);
    const failed = result.scenes.filter((s) => s.status === 'failed');
    if (failed.length) {
      // The failed scene's URL answers its cause's status: 4xx is the request's fault (exit 2), 5xx the server's (5).
      const cause: unknown = await client.download(failed[0]!.url).then(() => null, (e: unknown) => e);
      const kind = cause instanceof ClientError ? exitKindOf(cause) : 'server';
      throw new CliError(kind, `${failed.length} of ${result.scenes.length} scenes failed (the others were saved); first: ${failed[0]!.key} ${failed[0]!.name}: ${failed[0]!.error?.message ?? 'failed'}`);
    }
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}

/** `adsmith generate`: one generation on a server, every scene saved under --out. */
export async function generateCommand(opts: GenerateCommandOptions): Promise<void> {
  const input = requestOf(opts);
  const { client } = connect(opts);
  if (!opts.wait) {
    const job = await client.generate(input, { wait: false });
    if (opts.json) {
      const scenes = job.initial.scenes.map(({ key, name, width, height, url, editor_iframe }) => ({ key, name, width, height, url, editor_iframe }));
      process.stdout.write(JSON.stringify({ request_id: job.id, status_url: job.statusUrl, scenes }, null, 2) + '\n');
    } else {
      process.stdout.write(`Accepted ${job.id}; ${job.initial.scenes.length} scenes rendering.\nStatus: ${job.statusUrl}\n`);
      for (const s of job.initial.scenes) process.stdout.write(`${s.key}  ${s.width}×${s.height}  ${s.url}\n`);
    }
    return;
  }
  await generateAndSave(client, input, opts, sceneProgress(opts));
}
