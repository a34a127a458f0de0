/**
 * adsmith/client — the TypeScript client of the Adsmith API.
 * No dependencies; Node ≥ 20 and browsers. See docs/client.md.
 */
export { Adsmith, randomKey, type AdsmithOptions, type GenerateOptions } from './client.js';
export { Job, Jobs, type WaitOptions } from './jobs.js';
export { Templates, Brands } from './assets.js';
export { Files } from './files.js';
export { Batches } from './batches.js';
export type { GenerateResult, Scene } from './results.js';
export { verifyWebhook, type HeaderBag, type VerifyOptions } from './webhooks.js';
export {
  AdsmithError,
  AuthError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  PayloadTooLargeError,
  QuotaExceededError,
  RateLimitError,
  RenderError,
  ServerError,
  TimeoutError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  WebhookVerificationError,
  errorFromResponse,
} from './errors.js';
export type * from './types.js';
