/** The designer's bar: name, preview brand and content, undo/redo, save, versions, export/import, resize to all, close. */
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../../editor/ui/icons.js';
import { fetchBrandDocument } from '../../engine-host/index.js';
import type { BrandSummary } from '../../playground/api.js';
import { token } from '../../playground/session.js';
import { PREVIEW_CONTENT, type PreviewContent } from '../model/preview.js';
import { importTemplate } from '../model/validate.js';
import type { DesignerStore } from '../store.js';
import { ResizeDialog } from './ResizeDialog.js';
import { VersionsDialog } from './VersionsDialog.js';

export function TopBar({ store, brands, onClose }: { store: DesignerStore; brands: BrandSummary[]; onClose: () => void }) {
  const [dialog, setDialog] = useState<'versions' | 'resize' | null>(null);
  const [brandId, setBrandId] = useState<string>(() => String(brands[0]?.id ?? ''));
  const status = store.status.value;
  const dirty = store.dirty.value;
  const meta = store.meta.value;

  const pickBrand = async (id: string) => {
    setBrandId(id);
    if (!id) {
      store.previewBrand.value = null;
      return;
    }
    try {
      store.previewBrand.value = (await fetchBrandDocument(id, { token: () => token.value })).document;
    } catch (err) {
      store.status.value = { kind: 'error', text: `Brand ${id} could not be loaded: ${(err as Error).message}` };
    }
  };

  // The preview starts with the first brand of the list (the organisation's own first).
  useEffect(() => {
    if (brandId && !store.previewBrand.value) void pickBrand(brandId);
  }, []);

  const exportJson = () => {
    const blob = new Blob([store.exportJson()], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(meta.name || 'template').replace(/[^\w.-]+/g, '-').toLowerCase()}.template.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const importJson = async (file: File) => {
    const res = importTemplate(await file.text(), file.name);
    if (!res.ok) {
      store.problem.value = res.problem;
      store.status.value = { kind: 'error', text: res.message };
      return;
    }
    if (store.dirty.value && !confirm('Replace the unsaved work in the designer with the imported template?')) return;
    // An import is new content for this template: saving stores it as the next version (or a new template).
    const { id: _id, ...rest } = res.template;
    store.replaceWith({ ...rest, id: store.id.value === null ? 'new' : String(store.id.value) }, null);
    store.status.value = { kind: 'success', text: `Imported ${file.name}: ${res.template.scenes.length} scene(s). Save to store it.` };
  };

  return (
    <header class="topbar d-bar">
      <div class="topbar-group d-meta">
        <label for="tpl-name" class="visually-hidden">
          Template name
        </label>
        <input id="tpl-name" class="d-name" value={meta.name} maxLength={200} onInput={(e) => store.setMeta({ name: (e.currentTarget as HTMLInputElement).value })} />
        <span class="muted small">{store.id.value === null ? 'not saved yet' : `#${store.id.value} · v${store.version.value ?? '?'}`}</span>
      </div>
      <div class="topbar-group" role="toolbar" aria-label="Edit">
        <button type="button" class="icon-btn" aria-label="Undo" title="Undo" disabled={!store.canUndo.value} onClick={() => store.undo()}>
          <Icon name="undo" />
        </button>
        <button type="button" class="icon-btn" aria-label="Redo" title="Redo" disabled={!store.canRedo.value} onClick={() => store.redo()}>
          <Icon name="redo" />
        </button>
      </div>
      <div class="topbar-group d-preview">
        <label for="preview-brand">Brand</label>
        <select id="preview-brand" value={brandId} onChange={(e) => void pickBrand((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">None</option>
          {brands.map((b) => (
            <option key={b.id} value={String(b.id)}>
              {b.name} (#{b.id}
              {b.public ? ', public' : ''})
            </option>
          ))}
        </select>
        <label for="preview-content">Content</label>
        <select id="preview-content" value={store.previewContent.value} onChange={(e) => (store.previewContent.value = (e.currentTarget as HTMLSelectElement).value as PreviewContent)}>
          {Object.entries(PREVIEW_CONTENT).map(([k, v]) => (
            <option key={k} value={k}>
              {v.label}
            </option>
          ))}
        </select>
      </div>
      <div class="topbar-group end">
        <p class={`status ${status?.kind ?? ''}`} role="status" aria-live="polite">
          {status?.text ?? (dirty ? 'Unsaved changes' : '')}
        </p>
        <button type="button" class="btn" onClick={() => setDialog('resize')}>
          Resize to all…
        </button>
        <button type="button" class="btn" disabled={store.id.value === null} onClick={() => setDialog('versions')}>
          Versions
        </button>
        <button type="button" class="btn" onClick={exportJson}>
          Export JSON
        </button>
        <label class="btn file-btn" for="import-json">
          Import JSON
        </label>
        <input
          id="import-json"
          class="visually-hidden-file"
          type="file"
          accept="application/json,.json"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void importJson(file);
            input.value = '';
          }}
        />
        <button type="button" class="btn primary" disabled={store.saving.value || !dirty} onClick={() => void store.save()}>
          {store.saving.value ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="btn" onClick={onClose}>
          Templates
        </button>
      </div>
      <ResizeDialog store={store} open={dialog === 'resize'} onClose={() => setDialog(null)} />
      <VersionsDialog store={store} open={dialog === 'versions'} onClose={() => setDialog(null)} />
    </header>
  );
}
