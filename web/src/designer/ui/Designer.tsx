/**
 * The designer's workspace: the bar (template, preview, save, versions,
 * export/import, resize to all), scene tabs, element buttons and the editor's
 * Layers panel, the engine-drawn canvas, the editor's Properties with the
 * designer's own fields, and the text-fit diagnostics of every scene.
 */
import { useSignalEffect } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import { handleKey } from '../../editor/keyboard.js';
import { fromRender } from '../../editor/rendered.js';
import { FrameRenderer } from '../../editor/renderer.js';
import { LayersPanel } from '../../editor/ui/LayersPanel.js';
import { PropertiesPanel } from '../../editor/ui/PropertiesPanel.js';
import { Stage, zoomToFit } from '../../editor/ui/Stage.js';
import type { BrowserEngine } from '../../engine-host/index.js';
import type { BrandSummary } from '../../playground/api.js';
import { DiagnosticsRunner } from '../diagnostics.js';
import { LAYER_LABEL, LAYER_TYPES } from '../model/template.js';
import type { DesignerStore } from '../store.js';
import { Diagnostics } from './Diagnostics.js';
import { ElementFields } from './ElementFields.js';
import { SceneFields } from './SceneFields.js';
import { SceneTabs } from './SceneTabs.js';
import { TopBar } from './TopBar.js';

export function Designer({ store, engine, brands, onClose }: { store: DesignerStore; engine: BrowserEngine; brands: BrandSummary[]; onClose: () => void }) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const renderer = useRef<FrameRenderer | null>(null);
  const [runner] = useState(() => new DiagnosticsRunner(engine, store));

  useEffect(() => {
    renderer.current = new FrameRenderer(
      (canvas, input) => engine.renderScene(canvas, input),
      canvasRef.current!,
      () => ({ ...store.renderInput(), scale: store.zoom.value * (window.devicePixelRatio || 1) }),
      (out) => {
        store.rendered.value = fromRender(out);
        store.renderError.value = null;
        document.body.dataset['rendered'] = String(Number(document.body.dataset['rendered'] ?? 0) + 1);
      },
      (err) => store.renderFailed(err),
    );
    const onKey = (e: KeyboardEvent) => handleKey(store, e);
    const onUnload = (e: BeforeUnloadEvent) => {
      if (!store.dirty.value) return;
      // Leaving with unsaved work asks first (browsers show their own wording).
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onUnload);
    // The bench and the browser tests reach the running designer here.
    (window as unknown as { designer?: unknown }).designer = { store, runner, renderer: renderer.current };
    return () => {
      renderer.current?.stop();
      runner.stop();
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, []);

  // Any change of the template, the scene shown, the preview or the zoom: one render and one diagnostics run on the next frame.
  useSignalEffect(() => {
    void store.template.value;
    void store.previewBrand.value;
    void store.previewContent.value;
    void store.zoom.value;
    renderer.current?.request();
    runner.request();
  });

  // Another scene on the same canvas: fit it to the stage (the stage refits by itself only when its own size changes).
  useSignalEffect(() => {
    void store.active.value;
    const stage = document.querySelector<HTMLElement>('.designer .stage');
    if (stage) zoomToFit(store, stage);
  });

  const problem = store.problem.value;
  return (
    <div class="editor designer">
      <TopBar store={store} brands={brands} onClose={onClose} />
      <SceneTabs store={store} />
      {problem && (
        <p class="d-problem" role="alert">
          {problem.message}{' '}
          <button type="button" class="link-btn" onClick={() => (store.problem.value = null)}>
            Dismiss
          </button>
        </p>
      )}
      <div class="workspace">
        <div class="d-left">
          <section class="panel d-add" aria-labelledby="add-title">
            <h2 id="add-title" class="panel-title">Add</h2>
            <div class="d-add-grid">
              {LAYER_TYPES.map((layer) => (
                <button key={layer} type="button" class="btn" onClick={() => store.addElement(layer)}>
                  {LAYER_LABEL[layer]}
                </button>
              ))}
            </div>
          </section>
          <SceneFields store={store} />
          <LayersPanel store={store} />
        </div>
        <main class="stage-area" aria-label="Canvas">
          {store.renderError.value && (
            <p class="render-error" role="alert">
              The canvas could not be redrawn: {store.renderError.value}
            </p>
          )}
          <Stage store={store} canvasRef={canvasRef} />
        </main>
        <div class="d-right">
          <PropertiesPanel store={store} extra={(el) => <ElementFields store={store} el={el} />} />
          <Diagnostics store={store} runner={runner} />
        </div>
      </div>
    </div>
  );
}
