import { readdirSync } from 'node:fs';
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
      const faces = Object.entries(spec.files).map(([weight, rel]) => {
        const name = rel.split('/').pop()!;
        add(name, join(dir, rel));
        return { weight: Number(weight), style: 'normal' as const, file: name };
      });
      families.push({ family, aliases: [{ alias: family, faces }] });
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
        return { alias: aliases[i]!, faces };
      }),
    });
  }
  cached = { families, paths, versions };
  return cached;
}
