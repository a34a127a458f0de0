/**
 * The one error catalogue. Every error Adsmith reports has a stable code, an
 * HTTP status and a message template; the API, the CLI and the SDK map from it.
 * Messages say what was wrong and how to fix it. `{name}` placeholders are
 * filled from the error's params.
 */
export const ERRORS = {
  // Documents (templates and brands)
  ADS_TEMPLATE_INVALID: { status: 400, message: 'The template document is invalid at {path}: {rule}.' },
  ADS_BRAND_INVALID: { status: 400, message: 'The brand document is invalid at {path}: {rule}.' },
  ADS_DOCUMENT_VERSION_UNSUPPORTED: {
    status: 400,
    message: 'The {kind} document has schema_version {version}, which this Adsmith does not know. Supported: {supported}.',
  },
  ADS_BRAND_REQUIRED: { status: 400, message: 'Template {template} takes its colours, fonts and logos from a brand: send brand_id.' },

  // Element overrides
  ADS_UNKNOWN_CONTENT_TYPE: {
    status: 400,
    message: 'elements[{index}].content_type "{content_type}" is not a slot of template {template}. Its slots are: {slots}.',
  },
  ADS_UNKNOWN_ELEMENT_ID: {
    status: 400,
    message: 'elements[{index}].id "{id}" is not an element of template {template}. Use GET /v1/ads/templates/{template} to list element ids.',
  },
  ADS_OVERRIDE_TARGET_MISSING: { status: 400, message: 'elements[{index}] needs a content_type or an id to say which element it fills.' },
  ADS_OVERRIDE_LAYER_MISMATCH: {
    status: 400,
    message: 'elements[{index}].layer_type "{given}" does not match the {expected} element it targets.',
  },

  // Assets
  ADS_IMAGE_DECODE_FAILED: { status: 422, message: 'The image of element "{element}" could not be decoded: {reason}.' },
  ADS_IMAGE_UNAVAILABLE: { status: 422, message: 'The image of element "{element}" could not be loaded from {src}: {reason}.' },
  ADS_FONT_UNAVAILABLE: { status: 422, message: 'Font "{family}" could not be loaded: {reason}.' },

  // Rendering and encoding
  ADS_ENCODE_FAILED: { status: 500, message: 'The {format} encoder failed: {reason}.' },
  ADS_BUDGET_UNREACHABLE: {
    status: 422,
    message: 'Scene "{scene}" cannot fit in {max_kb} KB as {format} (smallest: {smallest_kb} KB). Raise max_kb or choose jpeg/webp.',
  },
  ADS_BAD_OPTION: { status: 400, message: '{option} {problem}' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export type ErrorParams = Record<string, string | number>;

export function formatMessage(code: ErrorCode, params: ErrorParams): string {
  return ERRORS[code].message.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** An error from the catalogue: code, HTTP status, and a message meant for the user. */
export class AdsmithError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    super(formatMessage(code, params), options);
    this.name = 'AdsmithError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.params = params;
  }
}

export function isAdsmithError(value: unknown): value is AdsmithError {
  return value instanceof AdsmithError;
}
