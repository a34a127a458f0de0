// The browser host of the engine: what the editor and the playground import.
export type { SceneInput, RenderedSceneInfo, BrowserEngine, ElementOverride, MeasuredScene } from './types.js';
export type { ApiOptions } from './api.js';
export { EngineRequestError } from './api.js';
export { createBrowserEngine } from './engine.js';
export { fetchTemplateDocument, fetchBrandDocument, type StoredDocument } from './documents.js';
export type { TemplateDocument } from '../../../src/engine/model/template.js';
export type { BrandDocument } from '../../../src/engine/model/brand.js';
export type { SceneLayout } from '../../../src/engine/layout/scene.js';
export type { ScenePlan } from '../../../src/engine/plan/types.js';
