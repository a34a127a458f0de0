/**
 * The real-photo corpus (test/fixtures/photo-corpus.json): photographs from Debian packages,
 * fetched into .cache/photo-corpus/ by scripts/fetch-photo-corpus.mjs (CI runs it first).
 * A missing corpus is an error that names the script, never a skipped test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RawImage } from '../../../src/smart-image/types.js';

export interface CorpusPhoto {
  file: string;
  package: string;
  /** Where the file sits in the package. */
  path: string;
  sha256: string;
  subject: string;
  licence: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function corpusDir(): string {
  return resolve(process.env.ADSMITH_PHOTO_CORPUS_DIR || join(root, '.cache/photo-corpus'));
}

export function corpusPhotos(): CorpusPhoto[] {
  return (JSON.parse(readFileSync(join(root, 'test/fixtures/photo-corpus.json'), 'utf8')) as { photos: CorpusPhoto[] }).photos;
}

/** Throws, naming the missing files and the command that fetches them, unless every photo is there. */
export function assertCorpusPresent(): void {
  const missing = corpusPhotos().filter((p) => !existsSync(join(corpusDir(), p.file)));
  if (missing.length > 0)
    throw new Error(
      `the real-photo corpus is missing ${missing.length} of ${corpusPhotos().length} photos in ${corpusDir()} ` +
        `(${missing.slice(0, 3).map((p) => p.file).join(', ')}${missing.length > 3 ? ', …' : ''}): run \`node scripts/fetch-photo-corpus.mjs\` ` +
        '(downloads the Debian packages listed in test/fixtures/photo-corpus.json with apt-get download; CI runs it before the tests).',
    );
}

/** A corpus photo, scaled so its longer side is at most `maxSide`, as PNG bytes (what a user would send) and decoded RGBA. */
export async function loadCorpusPhoto(p: CorpusPhoto, maxSide = 512): Promise<{ bytes: Uint8Array; photo: RawImage }> {
  const png = await sharp(join(corpusDir(), p.file)).rotate().resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { bytes: new Uint8Array(png), photo: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height } };
}
