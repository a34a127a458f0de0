import { sourceKind } from './sources.js';
import type { ElementInput, GenerateInput, ImageSource, LayerType, SmartImageInput } from './types.js';

/** Layer types whose content is an image. */
const IMAGE_LAYERS = new Set<LayerType>(['image', 'smartImage', 'logo']);
/** The server's rule for slots that take an image (`Image #1`, `Logo #1`, `smartImage`). */
const IMAGE_SLOT = /^(Image #|smartImage|Logo #)/;

/** Uploads one image input and answers its URL (the caller caches by source). */
export type UploadFn = (source: ImageSource, parameter: string) => Promise<string>;
/** The layer type of each element id of a template (read from the server only when an id-targeted element needs it). */
export type LayersOf = (templateId: string) => Promise<Map<string, LayerType>>;

/** True when this value has to be uploaded rather than sent as is. */
function needsUpload(value: ImageSource): boolean {
  return sourceKind(value) !== 'url' && value !== '';
}

async function isImageElement(el: ElementInput, templateId: string, layersOf: LayersOf): Promise<boolean> {
  if (typeof el.content !== 'string') return true;
  if (el.layer_type) return IMAGE_LAYERS.has(el.layer_type);
  if (el.content_type) return IMAGE_SLOT.test(el.content_type);
  if (el.id) {
    const layer = (await layersOf(templateId)).get(el.id);
    return layer !== undefined && IMAGE_LAYERS.has(layer);
  }
  return false;
}

/** Elements with every image input replaced by a URL; `prefix` names them in errors (`elements`, `rows[3].elements`). */
export async function resolveElements(elements: ElementInput[] | undefined, prefix: string, templateId: string, upload: UploadFn, layersOf: LayersOf): Promise<Array<ElementInput & { content: string }> | undefined> {
  if (!elements) return undefined;
  return Promise.all(
    elements.map(async (el, i) => {
      const content = el.content;
      // Text needs no look-up; only strings that are not URLs might be paths.
      if (typeof content === 'string' && !needsUpload(content)) return { ...el, content };
      if (!(await isImageElement(el, templateId, layersOf))) return { ...el, content: content as string };
      return { ...el, content: await upload(content, `${prefix}[${i}].content`) };
    }),
  );
}

export async function resolveSmartImage(smart: SmartImageInput | undefined, prefix: string, upload: UploadFn): Promise<SmartImageInput | undefined> {
  if (!smart) return undefined;
  const out: SmartImageInput = { ...smart };
  for (const field of ['input_image_url', 'main_object_url'] as const) {
    const value = smart[field];
    if (value !== undefined && value !== null && needsUpload(value)) out[field] = await upload(value, `${prefix}.${field}`);
  }
  return out;
}

/** The generate body with every local file, byte array, Blob and data: URI uploaded and replaced by its URL. */
export async function resolveGenerateInput<T extends Pick<GenerateInput, 'template_id' | 'elements' | 'smart_image'>>(input: T, upload: UploadFn, layersOf: LayersOf): Promise<T> {
  const templateId = String(input.template_id);
  const [elements, smart] = await Promise.all([resolveElements(input.elements, 'elements', templateId, upload, layersOf), resolveSmartImage(input.smart_image, 'smart_image', upload)]);
  return { ...input, ...(elements ? { elements } : {}), ...(smart ? { smart_image: smart } : {}) };
}
