import { Fonts } from './Fonts.js';
import { Logos } from './Logos.js';
import { Palette } from './Palette.js';
import { Preview } from './Preview.js';
import { useEffect, useState } from 'preact/hooks';
import { dirty, discard, draft, edit, listVersions, loadVersion, opened, save, saveStatus, saving } from './store.js';

/** One brand: its name, palette, logos and fonts, a preview on a template, and one Save for all of it. */
export function BrandEditor() {
  const doc = draft.value!;
  const o = opened.value!;
  const status = saveStatus.value;
  return (
    <form
      class="brand-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div class="savebar">
        <div class="savebar__what">
          <strong>{o.id === null ? 'New brand' : `Brand #${o.id}`}</strong>
          <span class="savebar__meta">{o.id === null ? ' · not saved yet' : o.restoring ? ` · version ${o.restoring} of ${o.version}, saving restores it as version ${(o.version ?? 0) + 1}` : ` · version ${o.version}`}</span>
          {dirty.value && <span class="savebar__dirty"> · unsaved changes</span>}
          {o.id !== null && <Versions id={o.id} latest={o.version ?? 1} shown={o.restoring ?? o.version ?? 1} />}
        </div>
        <div class="savebar__actions">
          <button type="button" class="button button--ghost" disabled={!dirty.value || saving.value} onClick={() => void discard()}>
            {o.id === null ? 'Discard' : 'Revert'}
          </button>
          <button type="submit" class="button button--primary" disabled={(!dirty.value && o.id !== null) || saving.value}>
            {saving.value ? 'Saving…' : o.id === null ? 'Create brand' : 'Save new version'}
          </button>
        </div>
      </div>
      {status && (
        <p class={`notice ${status.kind === 'ok' ? 'notice--ok' : 'notice--error'}`} role={status.kind === 'ok' ? 'status' : 'alert'} data-testid="save-status">
          {status.text}
        </p>
      )}

      <fieldset class="section">
        <legend class="section__title">Name</legend>
        <label class="field__label" for="brand-name">
          Name
        </label>
        <input id="brand-name" class="input" required maxLength={200} value={doc.name} onInput={(e) => edit((d) => void (d.name = (e.target as HTMLInputElement).value))} />
        <label class="field__label" for="brand-description">
          Description
        </label>
        <textarea id="brand-description" class="input brand-editor__description" maxLength={2000} rows={2} value={doc.description} onInput={(e) => edit((d) => void (d.description = (e.target as HTMLTextAreaElement).value))} />
      </fieldset>
      <Palette />
      <Logos />
      <Fonts />
      <Preview />
    </form>
  );
}

/** The brand's saved versions; picking an earlier one loads it into the draft, to look at or restore. */
function Versions({ id, latest, shown }: { id: number; latest: number; shown: number }) {
  const [versions, setVersions] = useState<number[]>([latest]);
  useEffect(() => {
    let live = true;
    listVersions(id).then(
      (v) => live && setVersions(v),
      () => undefined, // the list stays the latest alone
    );
    return () => {
      live = false;
    };
  }, [id, latest]);
  if (versions.length < 2) return null;
  return (
    <label class="savebar__versions">
      <span class="as-visually-hidden">Version</span>
      <select class="input input--short" value={String(shown)} onChange={(e) => void loadVersion(Number((e.target as HTMLSelectElement).value))}>
        {versions.map((v) => (
          <option key={v} value={String(v)}>
            {v === latest ? `v${v} (latest)` : `v${v}`}
          </option>
        ))}
      </select>
    </label>
  );
}
