import { facesForChoice, glyphClusters, parseUnicodeRange, type ShippedFamily } from '../../../src/engine/fonts.js';
import type { OwnedFontFile } from '../../../src/engine/host.js';
import type { FamilyListFormatter } from '../../../src/engine/layout/text.js';
import type { FontChoice } from '../../../src/engine/plan/types.js';
import type { Api } from './api.js';

/** The FontFaceSet fonts are added to: the document's, or a worker's. */
function fontSet(): FontFaceSet {
  const g = globalThis as unknown as { document?: { fonts: FontFaceSet }; fonts?: FontFaceSet };
  const set = g.document?.fonts ?? g.fonts;
  if (!set) throw new Error('This browser has no FontFace API (document.fonts).');
  return set;
}

async function sha256Hex(parts: Uint8Array[]): Promise<string> {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The fonts Adsmith ships, loaded from the server (GET /v1/engine/fonts lists the very
 * files the Node host registers with Skia) and registered with the FontFace API under the
 * same aliases. Nothing else draws: no system fonts, no CDN. Each face is fetched once and
 * kept for the page's life, so re-renders while dragging never wait for fonts.
 */
export class BrowserFonts {
  private families: Promise<Map<string, ShippedFamily>> | null = null;
  /** Face URL (or own-font key) → its load. */
  private loads = new Map<string, Promise<void>>();

  constructor(private readonly api: Api) {}

  private shipped(): Promise<Map<string, ShippedFamily>> {
    this.families ??= this.api.json<{ families: ShippedFamily[] }>('/v1/engine/fonts').then(
      (body) => new Map(body.families.map((f) => [f.family, f])),
      (err: unknown) => {
        this.families = null; // let a later render retry
        throw err;
      },
    );
    return this.families;
  }

  /** The shipped families' aliases, known once the list is loaded (`ready()`). */
  private aliasesByFamily = new Map<string, string[]>();

  async ready(): Promise<void> {
    const families = await this.shipped();
    if (this.aliasesByFamily.size === 0) for (const [name, f] of families) this.aliasesByFamily.set(name, f.aliases.map((a) => a.alias));
  }

  /** CSS family list naming every subset alias, as src/node/fonts.ts formatFamilyList does. */
  readonly formatFamilies: FamilyListFormatter = (families) =>
    families
      .flatMap((f) => this.aliasesByFamily.get(f) ?? [f])
      .map((a) => `"${a.replace(/"/g, '')}"`)
      .join(', ');

  private register(key: string, make: () => Promise<FontFace>): Promise<void> {
    let pending = this.loads.get(key);
    if (!pending) {
      pending = make().then(async (face) => {
        await face.load();
        fontSet().add(face);
      });
      pending.catch(() => this.loads.delete(key));
      this.loads.set(key, pending);
    }
    return pending;
  }

  /** Each alias's characters as intervals (null: unknown, then it may draw anything). */
  private intervals = new Map<string, Array<[number, number]> | null>();

  private covers(alias: { alias: string; unicodeRange?: string }, cp: number): boolean {
    if (!this.intervals.has(alias.alias)) this.intervals.set(alias.alias, alias.unicodeRange === undefined ? null : parseUnicodeRange(alias.unicodeRange));
    const list = this.intervals.get(alias.alias);
    return !list || list.some(([lo, hi]) => cp >= lo && cp <= hi);
  }

  /**
   * Loads the faces that draw `text` in this choice: for each character, the first alias of the chain
   * whose file has it (the manifest's ranges are the files' own cmaps), as the canvas's font fallback
   * picks it; and for each cluster (a letter with its combining marks), the first alias that has all of
   * it, since the canvas shapes a cluster with one file (x̂ is drawn by the complete Noto Sans, not by
   * Inter's x and a system font's circumflex) — the rule the Node host registers files by. A Latin
   * headline loads a few dozen KB, not the CJK and emoji files of the chain. Answers a warning per file
   * that failed.
   */
  async load(choice: FontChoice, text: string): Promise<string[]> {
    await this.ready();
    const families = await this.shipped();
    const chain = choice.families.map((name) => families.get(name)).filter((f): f is ShippedFamily => f !== undefined);
    const needed = new Set<string>();
    const need = (cps: readonly number[]) => {
      for (const family of chain) {
        const alias = family.aliases.find((a) => cps.every((cp) => this.covers(a, cp)));
        if (alias) {
          needed.add(`${family.family}\u0000${alias.alias}`);
          return;
        }
      }
    };
    for (const ch of new Set(text)) need([ch.codePointAt(0)!]);
    for (const cps of glyphClusters(text)) if (cps.length > 1) need(cps);
    const warnings: string[] = [];
    const jobs: Promise<void>[] = [];
    for (const family of chain) {
      for (const face of facesForChoice(family, choice.weight, choice.style)) {
        if (!needed.has(`${family.family}\u0000${face.alias}`)) continue;
        const url = this.api.url(face.file);
        jobs.push(
          this.register(url, async () => new FontFace(face.alias, `url("${url}")`, { weight: String(face.weight), style: face.style })).catch((err: unknown) => {
            warnings.push(`Font file ${face.file} for "${face.alias}" could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
          }),
        );
      }
    }
    await Promise.all(jobs);
    return warnings;
  }

  /** Registers a brand's own family under an alias derived from its files' content (the Node host's alias). */
  registerOwned(family: string, files: OwnedFontFile[]): Promise<{ alias: string | null; warnings: string[] }> {
    // Renders repeat this for every frame: the same family from the same sources is registered once.
    const key = JSON.stringify([family, files.map((f) => [f.label, f.weight, f.style, f.bytes.byteLength])]);
    let pending = this.owned.get(key);
    if (!pending) {
      pending = this.registerOwnedNow(family, files);
      this.owned.set(key, pending);
    }
    return pending;
  }

  private owned = new Map<string, Promise<{ alias: string | null; warnings: string[] }>>();

  private async registerOwnedNow(family: string, files: OwnedFontFile[]): Promise<{ alias: string | null; warnings: string[] }> {
    const alias = `${family} ~${(await sha256Hex(files.map((f) => f.bytes))).slice(0, 12)}`;
    const warnings: string[] = [];
    let any = false;
    for (const f of files) {
      const key = `own|${alias}|${f.weight}|${f.style}|${f.label}`;
      try {
        const bytes = f.bytes.slice().buffer as ArrayBuffer;
        await this.register(key, async () => new FontFace(alias, bytes, { weight: String(f.weight), style: f.style }));
        any = true;
      } catch {
        warnings.push(`Font "${family}" (${f.label.slice(0, 80)}) could not be parsed; falling back to the next font in the chain.`);
      }
    }
    return { alias: any ? alias : null, warnings };
  }
}
