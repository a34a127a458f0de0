import { BadRequestError } from './errors.js';
import type { ImageSource } from './types.js';

/** Where an image input comes from, decided without touching it. */
export type SourceKind = 'url' | 'data-uri' | 'path' | 'bytes' | 'blob';

export function sourceKind(value: ImageSource): SourceKind {
  if (typeof value === 'string') {
    if (/^https?:\/\//i.test(value)) return 'url';
    if (/^data:/i.test(value)) return 'data-uri';
    return 'path';
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) return 'blob';
  return 'bytes';
}

/** Node (and Deno/Bun, which read files the same way) versus a browser. */
export function canReadFiles(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  return typeof g.process?.versions?.node === 'string';
}

/** A Blob over bytes without copying when they already own a plain ArrayBuffer. */
export function bytesToBlob(bytes: Uint8Array | ArrayBuffer, type = ''): Blob {
  if (bytes instanceof ArrayBuffer) return new Blob([bytes], { type });
  const owned = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  return new Blob([owned], { type });
}

function decodeDataUri(uri: string, parameter: string): Blob {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/is.exec(uri);
  if (!m) throw new BadRequestError({ status: 400, code: 'ADS_DATA_URI_INVALID', message: `${parameter} is not a valid data: URI (expected data:<type>;base64,<data>).` });
  const type = m[1] ?? '';
  const payload = m[3] ?? '';
  if (/;base64/i.test(m[2] ?? '')) {
    let binary: string;
    try {
      binary = atob(payload.replace(/\s+/g, ''));
    } catch {
      throw new BadRequestError({ status: 400, code: 'ADS_DATA_URI_INVALID', message: `${parameter} is a data: URI whose base64 payload does not decode.` });
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytesToBlob(bytes, type);
  }
  return new Blob([decodeURIComponent(payload)], { type });
}

/**
 * Reads a local file in Node. The module names are in variables so that
 * browser bundlers leave the import alone (it is never reached there).
 */
async function readLocalFile(value: string, parameter: string): Promise<{ blob: Blob; filename: string }> {
  if (!canReadFiles()) {
    throw new BadRequestError({
      status: 400,
      code: 'ADS_LOCAL_PATH_IN_BROWSER',
      message: `${parameter} "${value}" looks like a local file path, which a browser cannot read: pass a File or Blob, a data: URI or an http(s) URL.`,
    });
  }
  const fsName = 'node:fs/promises';
  const urlName = 'node:url';
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as { readFile(p: string): Promise<Uint8Array> };
  let path = value;
  if (/^file:/i.test(value)) {
    const url = (await import(/* @vite-ignore */ /* webpackIgnore: true */ urlName)) as { fileURLToPath(u: string): string };
    path = url.fileURLToPath(value);
  }
  try {
    const bytes = await fs.readFile(path);
    return { blob: bytesToBlob(bytes), filename: path.split(/[\\/]/).pop() || 'image' };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
    throw new BadRequestError({ status: 400, code: 'ADS_LOCAL_FILE_UNREADABLE', message: `${parameter}: cannot read the file ${value} (${why}). Give an existing image file, an http(s) URL or a data: URI.`, cause: err });
  }
}

/** The bytes of an image input that must be uploaded, with a file name for the upload. */
export async function loadSource(value: ImageSource, parameter: string): Promise<{ blob: Blob; filename: string }> {
  switch (sourceKind(value)) {
    case 'data-uri':
      return { blob: decodeDataUri(value as string, parameter), filename: 'data-uri' };
    case 'path':
      return readLocalFile(value as string, parameter);
    case 'blob': {
      const name = (value as Blob & { name?: unknown }).name;
      return { blob: value as Blob, filename: typeof name === 'string' && name ? name : 'image' };
    }
    case 'bytes':
      return { blob: bytesToBlob(value as Uint8Array | ArrayBuffer), filename: 'image' };
    case 'url':
      throw new BadRequestError({ status: 400, code: 'ADS_ALREADY_A_URL', message: `${parameter} is already an http(s) URL: use it as it is, no upload needed.` });
  }
}
