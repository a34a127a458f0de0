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
  ADS_BRAND_REQUIRED: { status: 400, message: 'Template {template} takes its colours, fonts and logos from a brand: send brand_id (CLI: --brand), e.g. one of the public brands 167, 166, 122, 121, 120.' },

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

  // Limits (issue 9): each names the limit, its value and what sets it (an ADSMITH_MAX_* variable or the plan)
  ADS_SCENE_TOO_LARGE: {
    status: 400,
    message: '{scene} is {size} px at scale {scale} = {pixels} pixels, over the limit of {limit} pixels per scene (set by {source}). Make the scene smaller or use scale 1.',
  },
  ADS_JOB_TOO_LARGE: {
    status: 400,
    message: 'This request renders {pixels} pixels in {scenes} scenes at scale {scale}, over the limit of {limit} pixels per job (set by {source}). Use scale 1, or a template with fewer or smaller scenes.',
  },
  ADS_TOO_MANY_SCENES: {
    status: 400,
    message: 'The template has {count} scenes, over the limit of {limit} scenes per template (set by {source}). Split it into templates of at most {limit} scenes.',
  },
  ADS_TEXT_TOO_LONG: {
    status: 400,
    message: 'The text of {element} has {chars} characters, over the limit of {limit} characters per text element (set by {source}). Shorten it.',
  },

  // API server (issue 3): auth, plans, requests, jobs, results, uploads, editor links, guarded fetch
  ADS_UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized. Invalid API key or authentication token: send a valid token in the api_token header (or Authorization: Bearer <token>).',
  },
  ADS_METRICS_UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized. /metrics needs the scrape token: send Authorization: Bearer <the value of ADSMITH_METRICS_TOKEN> (organisation API tokens do not open it).',
  },
  ADS_QUOTA_EXCEEDED: {
    status: 403,
    message: 'Quota exceeded: {plan_label} users can make up to {total} requests in total. Please upgrade your plan to continue using the service.',
  },
  ADS_ACCESS_DENIED: {
    status: 403,
    message: 'Access denied: Your subscription does not include access to this feature/product. (feature: {feature})',
  },
  ADS_RATE_LIMITED: {
    status: 429,
    message: 'Too many requests: your plan allows {limit} requests per minute. Retry after {retry_after} seconds.',
  },
  ADS_BAD_REQUEST: { status: 400, message: '{field} {problem}' },
  ADS_BODY_NOT_JSON: {
    status: 400,
    message: 'The request body is not valid JSON ({reason}). Send a JSON object with Content-Type: application/json.',
  },
  ADS_BODY_FORBIDDEN_KEY: {
    status: 400,
    message: 'The request body is valid JSON but has the key {key} at {path}, which is not allowed ("__proto__" and "constructor.prototype" could change object prototypes): rename or remove it.',
  },
  ADS_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit of {limit} bytes. Send a smaller body.' },
  ADS_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type {type} is not accepted here: send {expected}.' },
  ADS_TEMPLATE_UNKNOWN: {
    status: 400,
    message: 'template_id "{template}" is not a public template nor one of your private templates. Use GET /v1/ads/templates to list yours; public templates are 1061 and 1062.',
  },
  ADS_BRAND_UNKNOWN: {
    status: 400,
    message: 'brand_id "{brand}" is not a public brand nor one of your private brands. Use GET /v1/ads/brands to list yours; public brands are 167, 166, 122, 121 and 120.',
  },
  ADS_ASSET_MIXING: {
    status: 400,
    message: 'template_id "{template}" is a {template_kind} template but brand_id "{brand}" is a {brand_kind} brand: public templates work only with public brands, and private templates only with private brands.',
  },
  ADS_NOT_FOUND: { status: 404, message: '{what} was not found.' },
  ADS_ROUTE_NOT_FOUND: { status: 404, message: 'There is no {method} {url}. See /docs for the API.' },
  ADS_URL_UNUSABLE: {
    status: 422,
    message: 'Unprocessable Entity. The URL does not point to a valid image or is inaccessible. ({parameter}: {reason})',
  },
  ADS_IDEMPOTENCY_MISMATCH: {
    status: 422,
    message: 'Idempotency-Key "{key}" was already used with a different request body. Use a new key for a new request.',
  },
  ADS_JOB_FINISHED: { status: 409, message: 'Job {job} is already {status} and cannot be cancelled.' },
  ADS_BATCH_FINISHED: { status: 409, message: 'Batch {batch} is already {status}; there is nothing left to cancel.' },
  ADS_APP_UNKNOWN: { status: 404, message: 'App "{app}" is not served here. This server runs: {apps} (a version suffix such as @latest is accepted).' },
  ADS_TASK_FINISHED: { status: 409, message: 'Task {task} is already {status} and cannot be cancelled.' },
  ADS_UPLOAD_LINK_INVALID: { status: 403, message: 'This upload URL is not valid (its signature does not match). Ask POST /files for a new one.' },
  ADS_UPLOAD_LINK_EXPIRED: { status: 410, message: 'This upload URL expired at {expired_at}. Ask POST /files for a new one.' },
  ADS_UPLOAD_DONE: { status: 409, message: 'File {file} was already uploaded; its content cannot change. Ask POST /files for a new file.' },
  ADS_SCENE_FAILED: { status: 500, message: 'Scene {scene} of job {job} failed: {reason}' },
  ADS_SCENE_CANCELLED: { status: 410, message: 'Scene {scene} of job {job} was cancelled before it was rendered; it will never be available.' },
  ADS_RESULT_NOT_STORED: { status: 503, message: 'The rendered scene could not be stored ({attempts} attempts): {reason}' },
  ADS_RENDER_INTERRUPTED: { status: 500, message: 'Rendering stopped {attempts} times on this scene (the worker crashed or the process was killed); giving up.' },
  ADS_SYNC_TIMEOUT: {
    status: 504,
    message: 'Job {job} did not finish within {seconds} seconds; it goes on in the background. Poll {status_url}.',
  },
  ADS_UPLOAD_TYPE: {
    status: 415,
    message: 'The uploaded file "{filename}" is not a supported {kind} (its bytes look like {sniffed}). Accepted: {accepted}.',
  },
  ADS_UPLOAD_TOO_LARGE: { status: 413, message: 'The uploaded file is larger than the limit of {limit}. Send a smaller file.' },
  ADS_UPLOAD_INVALID: { status: 400, message: 'The uploaded file "{filename}" cannot be used: {reason}.' },
  ADS_UPLOAD_MISSING: { status: 400, message: 'Send the file as multipart/form-data in a field named "file".' },
  ADS_UPLOAD_MALFORMED: {
    status: 400,
    message: 'The multipart/form-data body cannot be read ({reason}). Send one part named "file" with the bytes, framed by the boundary the Content-Type header names.',
  },
  ADS_EDITOR_LINK_INVALID: {
    status: 403,
    message: 'This editor link is not valid (its signature does not match). Use the editor_iframe URL returned by /v1/ads/generate.',
  },
  ADS_EDITOR_LINK_EXPIRED: {
    status: 410,
    message: 'This editor link expired at {expired_at}. Generate again, or ask the API for a new link.',
  },
  ADS_EDITOR_SESSION_MISSING: {
    status: 401,
    message: 'This editor call needs its session: send the header x-adsmith-editor: <job>.<scene>.<exp>.<sig>, taken from the editor link (/editor/<job>/<scene>?exp=<exp>&sig=<sig>).',
  },
  ADS_EDITOR_CONFLICT: {
    status: 409,
    message: 'This scene was changed elsewhere (revision {latest} is newer than yours); reload the editor to see it.',
  },
  ADS_EDITOR_SCENE_INVALID: { status: 400, message: 'The edited scene is invalid at {path}: {rule}. Fix that field and save again.' },
  ADS_EDITOR_UPLOAD_NOT_IMAGE: {
    status: 422,
    message: 'The uploaded file "{filename}" is not an image: it was sent as {declared} and its bytes look like {sniffed}. Upload a PNG, JPEG, GIF, WebP, AVIF or SVG image.',
  },
  ADS_EDITOR_MODERATED: {
    status: 422,
    message: 'The edited ad did not pass content moderation (its job asked for it), so it was not saved. Change the text or image and save again.',
  },
  ADS_EDITOR_RENDER_FAILED: { status: 422, message: 'The edited scene could not be drawn, so nothing was saved: {reason} Fix it and save again.' },
  ADS_WEB_NOT_BUILT: {
    status: 503,
    message: 'The web page "{page}" is not built. Run `npm install` (or `npx vite build --config web/vite.config.ts`) in the Adsmith folder, then restart the server.',
  },
  ADS_SERVER_BUSY: { status: 503, message: 'The server is {reason}. Retry in a moment.' },
  ADS_INPUT_MODERATED: {
    status: 422,
    message: "The request could not be completed because the visual in the '{parameter_name}' parameter did not pass content moderation.",
  },
  // 424, not a 5xx: the request cannot succeed on this server until a model is installed, so clients must
  // not retry it (issue 4 asks for a 5xx-free answer); GET /healthz shows the same part as degraded.
  ADS_MODEL_UNAVAILABLE: {
    status: 424,
    message: '{feature} is unavailable on this server: {detail}. Requests without it still work; GET /healthz shows the missing part (see docs/smart-image.md).',
  },
  ADS_RENDER_FAILED: { status: 500, message: 'Rendering failed: {reason}' },
  ADS_WORKER_CRASHED: { status: 500, message: 'The render worker stopped ({reason}); the scene is retried.' },
  ADS_INTERNAL: { status: 500, message: 'Internal server error (reference {reference}). The request was not applied.' },
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
