/** The editor's layout: toolbar, layers, canvas, properties; wires rendering, keys and the host page. */
import { useSignalEffect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Panel } from '../config.js';
import { handleKey } from '../keyboard.js';
import { fromRender } from '../rendered.js';
import { FrameRenderer, type RenderSceneFn } from '../renderer.js';
import type { EditorStore } from '../store.js';
import { LayersPanel } from './LayersPanel.js';
import { PropertiesPanel } from './PropertiesPanel.js';
import { Stage, zoomToFit } from './Stage.js';
import { Toolbar } from './Toolbar.js';

export function App({ store, panels, renderScene, onFirstPaint }: { store: EditorStore; panels: Set<Panel>; renderScene: RenderSceneFn; onFirstPaint: () => void }) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const renderer = useRef<FrameRenderer | null>(null);
  const painted = useRef(false);

  useEffect(() => {
    const canvas = canvasRef.current!;
    let renders = 0;
    renderer.current = new FrameRenderer(
      renderScene,
      canvas,
      () => ({ ...store.renderInput(), scale: store.zoom.value * (window.devicePixelRatio || 1) }),
      (out) => {
        store.rendered.value = fromRender(out);
        store.renderError.value = null;
        performance.mark(`adsmith:render-end-${++renders}`);
        if (!painted.current) {
          painted.current = true;
          performance.mark('adsmith:first-paint');
          onFirstPaint();
        }
      },
      (err) => store.renderFailed(err),
    );
    renderer.current.request();
    const onKey = (e: KeyboardEvent) => handleKey(store, e);
    const onUnload = (e: BeforeUnloadEvent) => {
      if (!store.dirty.value) return;
      // Closing with unsaved edits asks first (browsers show their own wording).
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      renderer.current?.stop();
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, []);

  // Any change of the document or the zoom asks for one render on the next frame.
  useSignalEffect(() => {
    void store.doc.value;
    void store.zoom.value;
    renderer.current?.request();
  });

  const fit = () => {
    const stage = document.querySelector<HTMLElement>('.stage');
    if (stage) zoomToFit(store, stage);
  };
  const zoomTo = (z: number) => (store.zoom.value = Math.round(Math.max(0.05, Math.min(8, z)) * 1000) / 1000);

  return (
    <div class={`editor${panels.has('layers') ? '' : ' no-layers'}${panels.has('properties') ? '' : ' no-props'}`}>
      <Toolbar store={store} showToolbar={panels.has('toolbar')} onFit={fit} onZoom={zoomTo} />
      <div class="workspace">
        {panels.has('layers') && <LayersPanel store={store} />}
        <main class="stage-area" aria-label="Canvas">
          {store.renderError.value && (
            <p class="render-error" role="alert">
              The canvas could not be redrawn: {store.renderError.value}
            </p>
          )}
          <Stage store={store} canvasRef={canvasRef} />
        </main>
        {panels.has('properties') && <PropertiesPanel store={store} />}
      </div>
    </div>
  );
}
