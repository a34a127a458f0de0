import { createBrowserEngine, fetchBrandDocument, fetchTemplateDocument, type BrandDocument, type BrowserEngine, type TemplateDocument } from '../engine-host/index.js';
import { swatchCardTemplate } from './swatch-card.js';

export type ThumbnailKind = 'template' | 'brand';

/** Thumbnails are drawn this many device pixels wide: sharp on a 2× screen at the cards' size. */
const WIDTH = 420;

/**
 * Thumbnails drawn by the engine in this browser, with the server's fonts and
 * images: a template's first scene with its own content (and the chosen brand
 * when it uses one), and a brand's swatch card. Each is drawn once per
 * template × brand and kept as an object URL; they are drawn one at a time so
 * the first ones appear quickly instead of all at the end.
 */
let engine: { token: string; engine: BrowserEngine } | null = null;
const templateDocs = new Map<string, Promise<TemplateDocument>>();
const brandDocs = new Map<string, Promise<BrandDocument>>();
const drawn = new Map<string, Promise<string>>();
let queue: Promise<unknown> = Promise.resolve();

function engineFor(token: string): BrowserEngine {
  if (engine?.token !== token) {
    engine = { token, engine: createBrowserEngine({ token }) };
    // Another token may see other private documents: forget everything read with the old one.
    templateDocs.clear();
    brandDocs.clear();
    drawn.clear();
  }
  return engine.engine;
}

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Runs draws one after another (they share the page's CPU with everything else). */
function serial<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

async function draw(e: BrowserEngine, template: TemplateDocument, brand: BrandDocument | null): Promise<string> {
  const scene = template.scenes[0];
  if (!scene) throw new Error('This template has no scenes.');
  const canvas = document.createElement('canvas');
  await e.renderScene(canvas, { template, brand, elements: [], sceneIndex: 0, scale: WIDTH / scene.width });
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The canvas could not be read.');
  return URL.createObjectURL(blob);
}

/** An object URL of the thumbnail (`brandId` is the brand a branded template is shown with; ignored for brand-free ones). */
export function thumbnail(token: string, kind: ThumbnailKind, id: string, brandId: string | null): Promise<string> {
  const e = engineFor(token);
  const templateDoc = (tid: string) => once(templateDocs, tid, async () => (await fetchTemplateDocument(tid, { token })).document);
  const brandDoc = (bid: string) => once(brandDocs, bid, async () => (await fetchBrandDocument(bid, { token })).document);

  if (kind === 'brand') {
    return once(drawn, `brand:${id}`, () =>
      serial(async () => {
        const brand = await brandDoc(id);
        const card = swatchCardTemplate(brand.name, `${brand.fonts.heading.family} · ${brand.fonts.body.family}`);
        return draw(e, card, brand);
      }),
    );
  }
  return templateDoc(id).then((template) => {
    const bid = template.requires_brand ? brandId : null;
    if (template.requires_brand && !bid) return Promise.reject(new Error('Pick a brand to see this template.'));
    return once(drawn, `template:${id}:${bid ?? ''}`, () => serial(async () => draw(e, template, bid ? await brandDoc(bid) : null)));
  });
}
