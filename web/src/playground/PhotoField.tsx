import { useEffect, useMemo } from 'preact/hooks';
import { backgroundColor, backgroundPrompt, photo, photoMode, type PhotoMode } from './form.js';

const ACCEPT = 'image/png,image/jpeg,image/webp,image/avif,image/gif';
const MODES: Array<{ mode: PhotoMode; title: string; hint: string }> = [
  { mode: 'lifestyle_color', title: 'Cut out, on a colour', hint: 'lifestyle_shot_by_text with a hex colour' },
  { mode: 'lifestyle_prompt', title: 'Cut out, in a scene', hint: 'lifestyle_shot_by_text with a prompt' },
  { mode: 'expand_image', title: 'Expand the photo', hint: 'expand_image: fills each frame from its own background' },
  { mode: 'none', title: 'As it is', hint: 'no smart image: the photo fills the image slot' },
];

/**
 * Step 4: the product photo (uploaded by adsmith/client when you generate, via
 * POST /v1/files) and what the smart image does with it.
 */
export function PhotoField({ smartImage, photoSlot, ready }: { smartImage: boolean; photoSlot: string | null; ready: boolean }) {
  const file = photo.value;
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  // Until the template is read, nothing is known: keep the field enabled and quiet.
  const usable = !ready || smartImage || photoSlot !== null;
  const mode = smartImage ? photoMode.value : 'none';

  return (
    <fieldset class="step" disabled={!usable}>
      <legend class="step__title">
        <span class="step__n" aria-hidden="true">4</span> Product photo <span class="step__optional">optional</span>
      </legend>
      {!usable && <p class="step__hint step__hint--note">This template has no image slot.</p>}
      <div class="photo">
        <label class={`drop${file ? ' drop--filled' : ''}`} for="photo">
          {preview ? <img class="drop__preview" src={preview} alt="" /> : (
            <svg class="drop__icon" aria-hidden="true" viewBox="0 0 24 24" width="26" height="26">
              <path d="M12 16V4m0 0l-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
          )}
          <span class="drop__text">
            <strong>{file ? file.name : 'Choose a photo'}</strong>
            <span>{file ? `${Math.max(1, Math.round(file.size / 1024))} KB · choose another` : 'PNG, JPEG or WebP, up to 15 MB'}</span>
          </span>
          <input
            id="photo"
            class="as-visually-hidden"
            type="file"
            accept={ACCEPT}
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              photo.value = input.files?.[0] ?? null;
            }}
          />
        </label>
        {file && (
          <button type="button" class="button button--ghost button--small" onClick={() => (photo.value = null)}>
            Remove
          </button>
        )}
      </div>

      {file && smartImage && (
        <div class="modes" role="radiogroup" aria-label="What to do with the photo">
          {MODES.filter((m) => m.mode !== 'none' || photoSlot !== null).map((m) => (
            <label key={m.mode} class={`mode${mode === m.mode ? ' mode--checked' : ''}`}>
              <input type="radio" name="photo-mode" value={m.mode} checked={mode === m.mode} onChange={() => (photoMode.value = m.mode)} />
              <span class="mode__title">{m.title}</span>
              <span class="mode__hint">{m.hint}</span>
            </label>
          ))}
        </div>
      )}
      {file && smartImage && mode === 'lifestyle_color' && (
        <div class="field field--inline">
          <label class="field__label" for="bg-color">
            Background colour
          </label>
          <input
            id="bg-color-picker"
            class="swatch-input"
            type="color"
            aria-label="Pick the background colour"
            value={/^#[0-9a-f]{6}$/i.test(backgroundColor.value) ? backgroundColor.value : '#ffffff'}
            onInput={(e) => (backgroundColor.value = (e.target as HTMLInputElement).value.toUpperCase())}
          />
          <input
            id="bg-color"
            class="input input--mono input--short"
            type="text"
            value={backgroundColor.value}
            spellcheck={false}
            onInput={(e) => (backgroundColor.value = (e.target as HTMLInputElement).value.trim())}
          />
        </div>
      )}
      {file && smartImage && mode === 'lifestyle_prompt' && (
        <div class="field">
          <label class="field__label" for="bg-prompt">
            Background scene
          </label>
          <textarea id="bg-prompt" class="input" rows={2} maxLength={1000} value={backgroundPrompt.value} onInput={(e) => (backgroundPrompt.value = (e.target as HTMLTextAreaElement).value)} />
        </div>
      )}
      {file && !smartImage && photoSlot && <p class="step__hint">The photo fills {photoSlot} in every size.</p>}
    </fieldset>
  );
}
