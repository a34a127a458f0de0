// The project's own client, bundled from source: it has no dependencies and runs in browsers.
import { Adsmith } from '../../../src/client/index.js';

export { Adsmith };
export {
  AuthError,
  ConnectionError,
  AdsmithError,
} from '../../../src/client/index.js';
export type {
  BrandSummary,
  ContractElement,
  ContractTemplate,
  GenerateInput,
  Progress,
  SceneInfo,
  TemplateSummary,
  AssetRecord,
} from '../../../src/client/index.js';

/** The API this page was served by: the playground always talks to its own server. */
export const API_BASE = location.origin;

export function clientFor(token: string): Adsmith {
  return new Adsmith({ apiKey: token, baseUrl: API_BASE });
}
