export * from './types.js';
export { validateSmartImage, parseHexColor, type FieldError, type ValidSmartImage } from './validate.js';
export { OfflineSmartImageService, type OfflineServiceOptions, type SmartImageEvent } from './service.js';
export { IsnetCutout, extractSubject, subjectBox, refineMatte, ISNET_SIZE, type CutoutOptions } from './cutout.js';
export { expandImage } from './expand.js';
export { lifestyleShot } from './compose.js';
export { parsePrompt, paintScene, type SceneSpec } from './scene.js';
export { placeSubject, resolvePlacement, type PhotoTransform } from './placement.js';
export { decodeImage, encodePng, SmartImageInputError, MAX_INPUT_PIXELS } from './image.js';
export {
  smartImageConfigFromEnv,
  createSmartImageService,
  SmartImageConfigError,
  SMART_IMAGE_PROVIDERS,
  DEFAULT_REMOTE_LIMITS,
  type SmartImageConfig,
  type SmartImageProviderName,
  type RemoteLimits,
  type BriaConfig,
  type OpenAiConfig,
  type SdWebUiConfig,
  type CreateServiceOptions,
} from './factory.js';
export { createProvider } from './factory.js';
export { fallbackWarning } from './service.js';
export { BriaProvider, type BriaProviderOptions } from './remote/bria.js';
export { OpenAiImagesProvider, type OpenAiProviderOptions } from './remote/openai.js';
export { SdWebUiProvider, sdCanvas, DEFAULT_SDWEBUI_SETTINGS, type SdWebUiProviderOptions, type SdWebUiSettings, type SdLifestyleMode } from './remote/sdwebui.js';
export { ProviderError, type ProviderErrorKind } from './remote/errors.js';
