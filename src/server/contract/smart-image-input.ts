import sharp from 'sharp';
import type { TemplateDocument } from '../../engine/model/template.js';
import { AdsmithError } from '../../errors/catalogue.js';
import type { SmartImageInput } from '../../jobs/protocol.js';
import { checkUrl, FetchRefused } from '../../net/fetch.js';
import { fileReference } from '../../net/file-url.js';
import { checkImageDecodes } from '../../node/images.js';
import { MAX_INPUT_PIXELS, validateSmartImage } from '../../smart-image/index.js';
import type { GenerateBody } from './validate.js';

const PARAMETER = 'smart_image.input_image_url';

/**
 * The request's `smart_image`, checked without touching the network and
 * normalised: the URL (`main_object_url` is the contract's older name), the
 * operation (when absent: `lifestyle_shot_by_text` if an input is given, else
 * `expand_image`, the one that needs none) and its input (#rrggbb or a trimmed
 * prompt). A URL that can never be fetched is the contract's 422 naming the
 * parameter; a bad operation or input a 400 naming the field.
 */
export function normaliseSmartImage(raw: NonNullable<GenerateBody['smart_image']>, opts: { publicUrl: string; allowPrivateUrls: boolean }): SmartImageInput {
  const url = raw.input_image_url ?? raw.main_object_url;
  if (!url) throw new AdsmithError('ADS_BAD_REQUEST', { field: PARAMETER, problem: 'is required when smart_image is sent.' });
  // This server's own file URLs (any spelling) are read from the blob store, never fetched: the input check decides on them.
  if (!url.startsWith('data:') && !fileReference(url, opts)?.self) {
    try {
      checkUrl(url, opts.allowPrivateUrls);
    } catch (err) {
      const reason = err instanceof FetchRefused ? `the URL ${err.message}` : 'the URL is not usable';
      throw new AdsmithError('ADS_URL_UNUSABLE', { parameter: PARAMETER, reason });
    }
  }
  const input = raw.scene?.input;
  const operation = raw.scene?.operation ?? (input !== undefined && input.trim() !== '' ? 'lifestyle_shot_by_text' : 'expand_image');
  // The URL was checked above (with this server's own rules); the library judges the scene.
  const v = validateSmartImage({ input_image_url: 'https://input.invalid/', scene: { operation, ...(input !== undefined ? { input } : {}) } });
  if (!v.ok) {
    const first = v.errors.find((e) => e.field.startsWith('smart_image.scene')) ?? v.errors[0]!;
    throw new AdsmithError('ADS_BAD_REQUEST', { field: first.field, problem: `${first.message}.` });
  }
  return { input_image_url: url, scene: { operation: v.value.operation, ...(v.value.input !== undefined ? { input: v.value.input } : {}) } };
}

/** A smart image needs a smartImage element to go into: a 400 naming `smart_image` otherwise. */
export function requireSmartImageSlot(template: TemplateDocument, templateId: string): void {
  if (template.scenes.some((s) => s.elements.some((e) => e.layer_type === 'smartImage'))) return;
  throw new AdsmithError('ADS_BAD_REQUEST', {
    field: 'smart_image',
    problem: `was sent, but template ${templateId} has no smartImage element to put it in: leave smart_image out, or choose a template with a smartImage slot (GET /v1/ads/templates/${templateId} lists its elements).`,
  });
}

/**
 * The fetched smart-image bytes must be an image the cut-out can read, within
 * its pixel limit: the contract's 422 naming the parameter otherwise. The header
 * says the size; then the whole image is decoded as rendering will decode it, so
 * that a cut-short file is refused here and not by every scene later (sharp, off
 * the event loop).
 */
export async function checkSmartImageBytes(bytes: Uint8Array): Promise<void> {
  let width = 0;
  let height = 0;
  try {
    ({ width = 0, height = 0 } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    // not an image sharp reads: reported below
  }
  if (!width || !height) throw new AdsmithError('ADS_URL_UNUSABLE', { parameter: PARAMETER, reason: 'the URL holds bytes that are not an image Adsmith can read' });
  if (width * height > MAX_INPUT_PIXELS) {
    throw new AdsmithError('ADS_URL_UNUSABLE', { parameter: PARAMETER, reason: `the image is ${width}×${height} pixels; at most ${MAX_INPUT_PIXELS} pixels are accepted, send a smaller one` });
  }
  try {
    await checkImageDecodes(bytes);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 160);
    throw new AdsmithError('ADS_URL_UNUSABLE', { parameter: PARAMETER, reason: `the image is damaged and cannot be decoded (${why}); send the file again or another one` });
  }
}
