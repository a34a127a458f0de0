/**
 * The engine the editor draws with: the browser host of src/engine
 * (web/src/engine-host), reaching fonts and images on this server with the
 * editor's session. The canvas shows its output, nothing else draws the ad.
 */
import { createBrowserEngine } from '../engine-host/index.js';
import { sessionHeader, type EditorLink } from './config.js';
import type { RenderSceneFn } from './renderer.js';

export function loadEngine(link: EditorLink): RenderSceneFn {
  const engine = createBrowserEngine({ editorSession: sessionHeader(link) });
  return (canvas, input) => engine.renderScene(canvas, input);
}
