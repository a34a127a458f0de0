/**
 * Peer 2: the reference ad as a React-element-like tree rendered by satori to
 * SVG (text converted to glyph paths), then rasterised to PNG by resvg-js.
 *
 * setup(): read the Inter .woff files (satori reads TTF/OTF/WOFF, not woff2)
 * into ArrayBuffers and the photo/logo into data: URIs, once.
 * render(): auto-fit the heading, build the tree, satori → SVG → resvg → PNG.
 * Everything inside render() is timed, including the heading fit.
 *
 * Heading auto-fit: satori has no DOM to measure, so we measure with satori
 * itself: render the heading box alone (width fixed, height left to layout)
 * and read the height of the resulting SVG. The fit is monotonic in the size,
 * so we binary-search the candidate list (spec.headingSizes) for the largest
 * size that satisfies spec.headingFits, which lands on the same size as the
 * browser's linear shrink loop. Cost: ~log2(17) ≈ 4-5 extra satori layouts of
 * one text block per render (each also turns the heading's glyphs into SVG
 * paths, which is wasted work). Measured on the 2-core bench machine: ~5.4 ms
 * per heading-only layout, so ~22-27 ms of each render (15-20% of the total).
 */
import { readFile } from 'node:fs/promises';
import satori from 'satori';
import type { Font } from 'satori';
import { Resvg } from '@resvg/resvg-js';
import type { Renderer } from './peers.js';
import { COLORS, FILES, FONT_FAMILY, TEXTS, WEIGHTS, headingFits, headingSizes, layoutFor } from './spec.js';
import type { AdLayout, Box } from './spec.js';

/** Minimal React-element shape satori accepts (no React, no JSX config). */
type Child = SatoriElement | string;
interface SatoriElement {
  type: string;
  key: null;
  props: Record<string, unknown> & { children?: Child | Child[] };
}

function h(type: string, props: Record<string, unknown> | null, ...children: Child[]): SatoriElement {
  const p: SatoriElement['props'] = { ...(props ?? {}) };
  if (children.length === 1) p.children = children[0];
  else if (children.length > 1) p.children = children;
  return { type, key: null, props: p };
}

const abs = (b: Box): Record<string, unknown> => ({ position: 'absolute', left: b.x, top: b.y, width: b.w });

let fonts: Font[] | undefined;
let photoUri: string | undefined;
let logoUri: string | undefined;

/** Font size chosen by the last render, for cross-checking with the other renderers. */
export const lastHeadingSize = new Map<string, number>();

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function headingNode(layout: AdLayout, size: number, positioned: boolean): SatoriElement {
  const { heading } = layout;
  return h(
    'div',
    {
      style: {
        ...(positioned ? abs(heading) : { width: heading.w }),
        display: 'flex',
        fontFamily: FONT_FAMILY,
        fontWeight: WEIGHTS.heading,
        fontSize: size,
        lineHeight: heading.lineHeight,
        color: COLORS.heading,
      },
    },
    TEXTS.heading,
  );
}

async function headingHeight(layout: AdLayout, size: number, fontList: Font[]): Promise<number> {
  const svg = await satori(headingNode(layout, size, false), { width: layout.heading.w, fonts: fontList });
  const m = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!m?.[1]) throw new Error('satori: no height on measured SVG');
  return Number(m[1]);
}

async function fitHeading(layout: AdLayout, fontList: Font[]): Promise<number> {
  const sizes = headingSizes(layout.heading); // descending
  // Largest fitting size = first index i with fits(sizes[i]); fits is monotonic
  // (false…false true…true along the list). Fall back to minSize.
  let lo = 0;
  let hi = sizes.length - 1;
  let found = sizes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const size = sizes[mid] as number;
    if (headingFits(layout.heading, size, await headingHeight(layout, size, fontList))) {
      found = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return sizes[found] as number;
}

function tree(layout: AdLayout, headingSize: number, photo: string, logo: string): SatoriElement {
  const { photo: ph, logo: lg, body, button } = layout;
  return h(
    'div',
    {
      style: {
        display: 'flex',
        position: 'relative',
        width: layout.width,
        height: layout.height,
        backgroundColor: COLORS.background,
        fontFamily: FONT_FAMILY,
      },
    },
    h(
      'div',
      { style: { ...abs(ph), height: ph.h, display: 'flex', borderRadius: ph.radius, overflow: 'hidden' } },
      h('img', { src: photo, width: ph.w, height: ph.h, style: { width: ph.w, height: ph.h, objectFit: 'cover', objectPosition: 'center' } }),
    ),
    h('img', { src: logo, width: lg.w, height: lg.h, style: { ...abs(lg), height: lg.h } }),
    headingNode(layout, headingSize, true),
    h(
      'div',
      {
        style: {
          ...abs(body),
          height: body.h,
          display: 'flex',
          flexDirection: 'column',
          fontWeight: WEIGHTS.body,
          fontSize: body.size,
          lineHeight: body.lineHeight,
          color: COLORS.body,
          whiteSpace: 'nowrap',
        },
      },
      ...TEXTS.body.map((line) => h('div', { style: { display: 'flex' } }, line)),
    ),
    h(
      'div',
      {
        style: {
          ...abs(button),
          height: button.h,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          borderRadius: button.radius,
          backgroundColor: COLORS.button,
          color: COLORS.buttonLabel,
          fontWeight: WEIGHTS.button,
          fontSize: button.labelSize,
          lineHeight: 1,
        },
      },
      TEXTS.button,
    ),
  );
}

export const satoriRenderer: Renderer = {
  name: 'satori+resvg',
  async setup() {
    const [w400, w700, photo, logo] = await Promise.all([
      readFile(FILES.font[400].woff),
      readFile(FILES.font[700].woff),
      readFile(FILES.photo),
      readFile(FILES.logo),
    ]);
    fonts = [
      { name: FONT_FAMILY, data: toArrayBuffer(w400), weight: 400, style: 'normal' },
      { name: FONT_FAMILY, data: toArrayBuffer(w700), weight: 700, style: 'normal' },
    ];
    photoUri = `data:image/jpeg;base64,${photo.toString('base64')}`;
    logoUri = `data:image/png;base64,${logo.toString('base64')}`;
  },
  async render(size) {
    if (!fonts || !photoUri || !logoUri) throw new Error('satori renderer: setup() not called');
    const layout = layoutFor(size);
    const headingSize = await fitHeading(layout, fonts);
    lastHeadingSize.set(`${size.width}x${size.height}`, headingSize);
    const svg = await satori(tree(layout, headingSize, photoUri, logoUri), { width: size.width, height: size.height, fonts });
    const png = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  },
  async teardown() {
    fonts = undefined;
    photoUri = undefined;
    logoUri = undefined;
  },
};
