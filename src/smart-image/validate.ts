import { SMART_IMAGE_OPERATIONS, type SmartImageOperation } from './types.js';

export interface FieldError {
  /** The request field, e.g. `smart_image.scene.input`. */
  field: string;
  message: string;
}

export interface ValidSmartImage {
  input_image_url: string;
  operation: SmartImageOperation;
  /** Normalised: a #rrggbb colour, a trimmed prompt, or undefined for expand_image. */
  input: string | undefined;
  /** True when `input` is a colour. */
  isColor: boolean;
}

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
export const MAX_PROMPT_LENGTH = 1000;

/** `#abc` or `#AABBCC` → `#aabbcc`; anything else → null. */
export function parseHexColor(value: string): string | null {
  const v = value.trim();
  if (!HEX.test(v)) return null;
  const h = v.slice(1).toLowerCase();
  return h.length === 3 ? `#${h[0]}${h[0]}${h[1]}${h[1]}${h[2]}${h[2]}` : `#${h}`;
}

/** True when the text starts like a colour but is not a valid one (`#12`, `#ggg`, `#12345`). */
function looksLikeBadHex(v: string): boolean {
  return /^#[0-9a-zA-Z]{0,8}$/.test(v) && !HEX.test(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validate the request's `smart_image` object. Pure; returns every problem with
 * the field it belongs to, or the normalised value. `main_object_url` (the
 * contract's older name) is accepted for `input_image_url`.
 */
export function validateSmartImage(value: unknown, prefix = 'smart_image'): { ok: true; value: ValidSmartImage } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isRecord(value)) return { ok: false, errors: [{ field: prefix, message: 'must be an object with input_image_url and scene' }] };

  const urlField = value.input_image_url !== undefined ? 'input_image_url' : 'main_object_url';
  const url = value[urlField];
  if (url === undefined) errors.push({ field: `${prefix}.input_image_url`, message: 'is required: the URL of the product, object or presenter photo' });
  else if (typeof url !== 'string' || url.trim() === '') errors.push({ field: `${prefix}.${urlField}`, message: 'must be a non-empty string URL' });
  else if (!/^(https?:\/\/|data:image\/)/i.test(url.trim())) errors.push({ field: `${prefix}.${urlField}`, message: 'must be an http(s) URL or a data:image/… URL' });

  const scene = value.scene;
  let operation: SmartImageOperation | undefined;
  let input: string | undefined;
  let isColor = false;
  if (!isRecord(scene)) {
    errors.push({ field: `${prefix}.scene`, message: 'is required: an object with operation (expand_image or lifestyle_shot_by_text) and input' });
  } else {
    const op = scene.operation;
    if (op === undefined) errors.push({ field: `${prefix}.scene.operation`, message: `is required: one of ${SMART_IMAGE_OPERATIONS.join(', ')}` });
    else if (typeof op !== 'string' || !(SMART_IMAGE_OPERATIONS as readonly string[]).includes(op))
      errors.push({ field: `${prefix}.scene.operation`, message: `"${String(op)}" is not known: use one of ${SMART_IMAGE_OPERATIONS.join(', ')}` });
    else operation = op as SmartImageOperation;

    const raw = scene.input;
    if (operation === 'lifestyle_shot_by_text') {
      if (raw === undefined || (typeof raw === 'string' && raw.trim() === ''))
        errors.push({ field: `${prefix}.scene.input`, message: 'is required for lifestyle_shot_by_text: a background prompt or a #RGB/#RRGGBB colour' });
      else if (typeof raw !== 'string') errors.push({ field: `${prefix}.scene.input`, message: 'must be a string: a background prompt or a #RGB/#RRGGBB colour' });
      else {
        const v = raw.trim();
        const hex = parseHexColor(v);
        if (hex) {
          input = hex;
          isColor = true;
        } else if (looksLikeBadHex(v)) errors.push({ field: `${prefix}.scene.input`, message: `"${v}" is not a valid hex colour: use #RGB or #RRGGBB` });
        else if (v.length > MAX_PROMPT_LENGTH) errors.push({ field: `${prefix}.scene.input`, message: `is ${v.length} characters long; a prompt may have at most ${MAX_PROMPT_LENGTH}` });
        else if (!/\p{L}/u.test(v)) errors.push({ field: `${prefix}.scene.input`, message: `"${v}" is neither a prompt (it has no words) nor a #RGB/#RRGGBB colour` });
        else input = v.replace(/\s+/g, ' ');
      }
    } else if (raw !== undefined && typeof raw !== 'string') {
      errors.push({ field: `${prefix}.scene.input`, message: 'must be a string when given (it is ignored by expand_image)' });
    }
  }
  if (errors.length > 0 || operation === undefined) return { ok: false, errors };
  return { ok: true, value: { input_image_url: String(url).trim(), operation, input, isColor } };
}
