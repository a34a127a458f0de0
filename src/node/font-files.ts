import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ShippedFamily } from '../engine/fonts.js';
import { aliasesOf, BUNDLED_FAMILIES } from './fonts.js';

/**
 * The shipped font files by name, for serving them to the browser host: the very
 * files the Node FontLibrary registers with Skia, so both draw the same glyphs.
 */
export interface ShippedFontFiles {
  /** Every shipped family with its aliases and faces; `file` is the bare file name. */
  families: ShippedFamily[];
  /** File name → absolute path (names are unique across the packages). */
  paths: Map<string, string>;
  /** File name → the version of the package it comes from (a cache-busting tag). */
  versions: Map<string, string>;
}

const require = createRequire(import.meta.url);

function packageOf(pkg: string): { dir: string; version: string } {
  const manifest = require.resolve(`${pkg}/package.json`);
  return { dir: dirname(manifest), version: (require(manifest) as { version: string }).version };
}

/** Code points as a CSS unicode-range (consecutive ones merged). */
export function toUnicodeRange(codePoints: readonly number[]): string {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const parts: string[] = [];
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(sorted[i] === sorted[j] ? `U+${hex(sorted[i]!)}` : `U+${hex(sorted[i]!)}-${hex(sorted[j]!)}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The unicode-range Fontsource declares for a subset (its unicode.json); a family shipped as
 * one file cut into numbered slices there (Noto Color Emoji: "[0]", "[1]", …) has their union.
 */
function fontsourceRange(dir: string, subset: string): string | undefined {
  const file = join(dir, 'unicode.json');
  if (!existsSync(file)) return undefined;
  const ranges = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  if (ranges[subset]) return ranges[subset];
  const slices = Object.entries(ranges).filter(([k]) => /^\[\d+\]$/.test(k));
  return slices.length ? slices.map(([, v]) => v).join(',') : undefined;
}

/** Above this size a WOFF2 takes fontkit seconds to decompress (Noto Color Emoji): use the declared range. */
const LARGEST_CMAP_READ = 2 * 1024 * 1024;

/**
 * The characters a font file has (its cmap): the browser host loads a face for a character only when it
 * is the first of the chain that has it, so the ranges must say exactly which glyphs each file has.
 */
function fileRange(path: string): string | undefined {
  try {
    const bytes = readFileSync(path);
    if (path.endsWith('.woff2') && bytes.byteLength > LARGEST_CMAP_READ) return undefined;
    const font = fontkit.create(bytes);
    return 'characterSet' in font ? toUnicodeRange((font as fontkit.Font).characterSet) : undefined;
  } catch {
    return undefined; // unreadable: the browser loads it for any text
  }
}

let cached: ShippedFontFiles | undefined;

/** Lists the shipped fonts once per process. */
export function shippedFontFiles(): ShippedFontFiles {
  if (cached) return cached;
  const families: ShippedFamily[] = [];
  const paths = new Map<string, string>();
  const versions = new Map<string, string>();
  for (const [family, spec] of Object.entries(BUNDLED_FAMILIES)) {
    const { dir, version } = packageOf(spec.pkg);
    const add = (name: string, path: string) => {
      paths.set(name, path);
      versions.set(name, version);
    };
    if (spec.source === 'files') {
      const faceList = (files: Record<number, string> | undefined, style: 'normal' | 'italic') =>
        Object.entries(files ?? {}).map(([weight, rel]) => {
          const name = rel.split('/').pop()!;
          add(name, join(dir, rel));
          return { weight: Number(weight), style, file: name };
        });
      const faces = [...faceList(spec.files, 'normal'), ...faceList(spec.italicFiles, 'italic')];
      // Every weight of the family covers the same characters: read one cmap.
      const unicodeRange = fileRange(paths.get(faces[0]!.file)!);
      families.push({ family, aliases: [{ alias: family, faces, ...(unicodeRange ? { unicodeRange } : {}) }] });
      continue;
    }
    const files = readdirSync(join(dir, 'files')).filter((f) => f.endsWith('.woff2'));
    const base = spec.pkg.split('/')[1]!;
    const aliases = aliasesOf(family);
    families.push({
      family,
      aliases: spec.subsets.map((subset, i) => {
        const pattern = new RegExp(`^${base}-${subset}-(\\d+)-(normal|italic)\\.woff2$`);
        const faces = files.flatMap((name) => {
          const m = pattern.exec(name);
          if (!m) return [];
          add(name, join(dir, 'files', name));
          return [{ weight: Number(m[1]), style: m[2] as 'normal' | 'italic', file: name }];
        });
        // All weights of a subset have the same characters: read the cmap of one.
        const unicodeRange = (faces[0] && fileRange(join(dir, 'files', faces[0].file))) ?? fontsourceRange(dir, subset);
        return { alias: aliases[i]!, faces, ...(unicodeRange ? { unicodeRange } : {}) };
      }),
    });
  }
  cached = { families, paths, versions };
  return cached;
}
