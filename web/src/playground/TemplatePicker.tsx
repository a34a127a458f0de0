import type { TemplateSummary } from './api.js';
import { templates } from './catalog.js';
import { brandId, templateId } from './form.js';
import { Thumbnail } from './Thumbnail.js';

/** Step 1: radio cards, one per template, each with its first scene drawn by the engine. */
export function TemplatePicker() {
  const list = templates.value;
  return (
    <fieldset class="step">
      <legend class="step__title">
        <span class="step__n" aria-hidden="true">1</span> Template
      </legend>
      <p class="step__hint">A set of ad sizes laid out once. Public templates come with Adsmith; yours are listed after them.</p>
      {list === null ? (
        <div class="cards cards--templates" aria-busy="true">
          <div class="card card--skeleton" />
          <div class="card card--skeleton" />
        </div>
      ) : list.length === 0 ? (
        <p class="empty">No templates yet.</p>
      ) : (
        <div class="cards cards--templates">
          {list.map((t) => (
            <TemplateCard key={t.id} t={t} />
          ))}
        </div>
      )}
    </fieldset>
  );
}

function TemplateCard({ t }: { t: TemplateSummary }) {
  const id = String(t.id);
  const checked = templateId.value === id;
  const branded = t.requires_brand !== false;
  return (
    <label class={`card${checked ? ' card--checked' : ''}`}>
      <input class="card__radio" type="radio" name="template" value={id} checked={checked} onChange={() => (templateId.value = id)} />
      <Thumbnail kind="template" id={id} brandId={branded ? brandId.value : null} alt="" />
      <span class="card__body">
        <span class="card__name">{t.name}</span>
        <span class="card__meta">
          {t.number_of_ads} sizes · {branded ? 'uses a brand' : 'brand-free'}
          {t.public === false ? ' · yours' : ''}
        </span>
        <span class="card__id mono">#{id}</span>
      </span>
    </label>
  );
}
