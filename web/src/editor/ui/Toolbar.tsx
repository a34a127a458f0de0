/** Undo/redo, zoom, save and the status line (announced to screen readers). */
import type { EditorStore } from '../store.js';
import { Icon } from './icons.js';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

export function Toolbar({ store, showToolbar, onFit, onZoom }: { store: EditorStore; showToolbar: boolean; onFit: () => void; onZoom: (z: number) => void }) {
  const zoom = store.zoom.value;
  const status = store.status.value;
  const dirty = store.dirty.value;
  return (
    <header class="topbar">
      {showToolbar && (
        <div class="topbar-group" role="toolbar" aria-label="Edit">
          <button type="button" class="icon-btn" aria-label="Undo" title={`Undo (${mod}Z)`} disabled={!store.canUndo.value} onClick={() => store.undo()}>
            <Icon name="undo" />
          </button>
          <button type="button" class="icon-btn" aria-label="Redo" title={`Redo (${mod}Shift+Z)`} disabled={!store.canRedo.value} onClick={() => store.redo()}>
            <Icon name="redo" />
          </button>
          <span class="sep" aria-hidden="true" />
          <button type="button" class="icon-btn" aria-label="Zoom out" title="Zoom out" onClick={() => onZoom(zoom / 1.25)}>
            <Icon name="minus" />
          </button>
          <span class="zoom" title="Zoom">
            {Math.round(zoom * 100)}%
          </span>
          <button type="button" class="icon-btn" aria-label="Zoom in" title="Zoom in" onClick={() => onZoom(zoom * 1.25)}>
            <Icon name="plus" />
          </button>
          <button type="button" class="icon-btn" aria-label="Zoom to fit" title="Zoom to fit" onClick={onFit}>
            <Icon name="fit" />
          </button>
          <button type="button" class="icon-btn text" aria-label="1:1 actual size" title="Actual size (100%)" onClick={() => onZoom(1)}>
            1:1
          </button>
        </div>
      )}
      <div class="topbar-title">
        <span class="scene-name">{store.scene.name}</span>
        {!store.scene.name.includes(`${store.scene.width}×${store.scene.height}`) && (
          <span class="muted">
            {store.scene.width} × {store.scene.height}
          </span>
        )}
      </div>
      <div class="topbar-group end">
        <p class={`status ${status?.kind ?? ''}`} role="status" aria-live="polite">
          {status?.text ?? (dirty ? 'Unsaved changes' : '')}
        </p>
        {status?.kind === 'conflict' && (
          <button type="button" class="btn" onClick={() => location.reload()}>
            Reload
          </button>
        )}
        <button type="button" class="btn primary" disabled={store.saving.value || !dirty} onClick={() => void store.save()} title={`Save (${mod}S)`}>
          {store.saving.value ? 'Saving…' : 'Save'}
        </button>
      </div>
    </header>
  );
}
