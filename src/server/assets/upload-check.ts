import { AdsmithError } from '../../errors/catalogue.js';
import { FONT_TYPES, IMAGE_TYPES, type Sniffed } from '../../net/sniff.js';
import { fontProblem } from '../../node/fonts.js';
import { checkImageDecodes } from '../../node/images.js';
import { SvgRefused } from '../../node/svg-safety.js';

/**
 * What an upload (`POST /v1/files`, the task protocol's PUT) must pass beyond its sniffed type:
 * it decodes exactly as rendering will decode it (images: sharp, or sanitised SVG through resvg;
 * fonts: fontkit), so a corrupt file is refused now rather than failing every scene later; and an
 * SVG refers to nothing outside itself (rendering would remove such references: refusing them here
 * tells the uploader, naming the reference).
 */
export async function checkUploadedContent(filename: string, bytes: Uint8Array, sniffed: Sniffed): Promise<void> {
  const refuse = (reason: string) => new AdsmithError('ADS_UPLOAD_INVALID', { filename: filename.slice(0, 120), reason });
  if (FONT_TYPES.includes(sniffed.type)) {
    const problem = fontProblem(bytes);
    if (problem) throw refuse(`it is not a usable ${sniffed.type.toUpperCase()} font: ${problem}`);
    return;
  }
  if (!IMAGE_TYPES.includes(sniffed.type)) return;
  let references;
  try {
    ({ svgReferences: references } = await checkImageDecodes(bytes));
  } catch (err) {
    if (err instanceof SvgRefused) throw refuse(err.message);
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 160);
    throw refuse(`it does not decode as a ${sniffed.type.toUpperCase()} image (${reason}); export it again, or send another file`);
  }
  const first = references[0];
  if (first) {
    const more = references.length > 1 ? ` (and ${references.length - 1} more)` : '';
    throw refuse(
      `the SVG refers to "${first.reference}" (${first.where})${more} outside the document; an SVG may only embed pictures as data: URIs, so embed it (href="data:image/png;base64,…") or remove the reference`,
    );
  }
}

/** A text upload that is an SVG with a DTD sniffs as "something else"; say what is actually wrong with it. */
export function svgWithDtd(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64 * 1024)).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<') && /<!(DOCTYPE|ENTITY)/i.test(head) && /<svg[\s>]/i.test(head);
}

export const DTD_REFUSAL = 'it is an SVG that declares a DTD or entities (<!DOCTYPE … [ … ]>, <!ENTITY>), which are not allowed in SVG: remove the DOCTYPE and write the content out';
