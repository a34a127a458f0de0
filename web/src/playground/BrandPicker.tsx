import type { BrandSummary } from './api.js';
import { templates } from './catalog.js';
import { brandId, templateId } from './form.js';
import { Thumbnail } from './Thumbnail.js';
import { chosenTemplate, compatibleBrands } from './values.js';

/** True when the chosen template ignores brand_id (a brand-free template). */
export function brandFree(): boolean {
  const t = templates.value?.find((x) => String(x.id) === templateId.value);
  return t?.requires_brand === false;
}

/** Step 2: a swatch card per brand (colours, fonts and logo, drawn by the engine); disabled for a brand-free template. */
export function BrandPicker() {
  // Public templates take public brands, private templates private ones: only those are offered.
  const list = compatibleBrands.value;
  const disabled = brandFree();
  return (
    <fieldset class="step" disabled={disabled} aria-describedby={disabled ? 'brand-free-note' : undefined}>
      <legend class="step__title">
        <span class="step__n" aria-hidden="true">2</span> Brand
      </legend>
      {disabled ? (
        <p class="step__hint step__hint--note" id="brand-free-note">
          This template is brand-free: it has its own colours and fonts, so no brand is sent.
        </p>
      ) : (
        <p class="step__hint">Colours, fonts and logo the template takes its look from.</p>
      )}
      {list === null ? (
        <div class="cards cards--brands" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <div key={i} class="card card--skeleton card--short" />
          ))}
        </div>
      ) : list.length === 0 ? (
        <p class="empty">
          {chosenTemplate.value?.public === false
            ? 'A private template takes a private brand, and this organisation has none yet: create one with POST /v1/ads/brands (see the API docs).'
            : 'No brands yet.'}
        </p>
      ) : (
        <div class={`cards cards--brands${disabled ? ' cards--disabled' : ''}`}>
          {list.map((b) => (
            <BrandCard key={b.id} b={b} disabled={disabled} />
          ))}
        </div>
      )}
    </fieldset>
  );
}

function BrandCard({ b, disabled }: { b: BrandSummary; disabled: boolean }) {
  const id = String(b.id);
  const checked = !disabled && brandId.value === id;
  return (
    <label class={`card card--brand${checked ? ' card--checked' : ''}`} title={b.description}>
      <input class="card__radio" type="radio" name="brand" value={id} checked={checked} disabled={disabled} onChange={() => (brandId.value = id)} />
      <Thumbnail kind="brand" id={id} brandId={id} alt="" />
      <span class="card__body">
        <span class="card__name">{b.name}</span>
        <span class="card__id mono">#{id}{b.public === false ? ' · yours' : ''}</span>
      </span>
    </label>
  );
}
