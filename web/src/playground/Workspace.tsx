import { useEffect, useState } from 'preact/hooks';
import { API_BASE, type GenerateInput } from './api.js';
import { BrandPicker } from './BrandPicker.js';
import { catalogError, loadCatalog, loadContract, reportError, templates } from './catalog.js';
import { CodePanel } from './CodePanel.js';
import { CopyFields } from './CopyFields.js';
import { brandId, photo, templateId } from './form.js';
import { generate, run } from './generate.js';
import { PhotoField } from './PhotoField.js';
import { buildRequest, formProblem } from './request.js';
import { Results } from './Results.js';
import { client } from './session.js';
import { clientSnippet, CURL_PHOTO, curlSnippet } from './snippets.js';
import { TemplatePicker } from './TemplatePicker.js';
import { compatibleBrands, formValues, slots } from './values.js';

/** Template 1062 (public, branded) is the first thing a newcomer sees when it is there. */
const PREFERRED_TEMPLATE = '1062';

export function Workspace() {
  const api = client.value;
  const [contractError, setContractError] = useState<string | null>(null);

  useEffect(() => {
    if (api) void loadCatalog(api);
  }, [api]);

  // Defaults once the lists arrive: the preferred template, then the first brand that works with it.
  useEffect(() => {
    const list = templates.value;
    if (list?.length && !list.some((t) => String(t.id) === templateId.value)) {
      templateId.value = String((list.find((t) => String(t.id) === PREFERRED_TEMPLATE) ?? list[0])!.id);
    }
  }, [templates.value]);
  useEffect(() => {
    const list = compatibleBrands.value;
    if (list && !list.some((b) => String(b.id) === brandId.value)) brandId.value = list[0] ? String(list[0].id) : null;
  }, [compatibleBrands.value]);
  useEffect(() => {
    if (!api || !templateId.value) return;
    setContractError(null);
    loadContract(api, templateId.value).catch((err: unknown) => setContractError(reportError(err, `Could not read template ${templateId.value}`)));
  }, [api, templateId.value]);

  const values = formValues.value;
  const problem = values ? formProblem(values) : null;
  const file = photo.value;
  const busy = run.value?.phase === 'uploading' || run.value?.phase === 'rendering';

  const snippets = values
    ? [
        { id: 'curl', label: 'curl', code: curlSnippet(buildRequest(values, CURL_PHOTO), API_BASE, file ? file.name : null) },
        { id: 'client', label: 'adsmith/client', code: clientSnippet(buildRequest(values, `./${file?.name ?? 'product.jpg'}`), API_BASE) },
      ]
    : [];

  const submit = (e: Event) => {
    e.preventDefault();
    if (!api || !values || problem) return;
    const input = buildRequest<File | string>(values, file ?? '') as GenerateInput;
    void generate(api, input, file !== null);
  };

  return (
    <main class="workspace" id="main">
      <section class="intro">
        <h1 class="intro__title">Every ad size from one request</h1>
        <p class="intro__lead">
          Pick a template and a brand, write the copy, add a product photo. Adsmith renders each format on this server — and shows you the API call that does the same.
        </p>
      </section>
      {catalogError.value && (
        <p class="notice notice--error" role="alert">
          {catalogError.value}
        </p>
      )}
      <div class="columns">
        <form class="panel form" onSubmit={submit} aria-label="Ad request">
          <TemplatePicker />
          <BrandPicker />
          {contractError && (
            <p class="notice notice--error" role="alert">
              {contractError}
            </p>
          )}
          <CopyFields slots={slots.value} />
          <PhotoField smartImage={values?.smartImage ?? false} photoSlot={values?.photoSlot ?? null} ready={values !== null} />
          <div class="submit">
            {problem && (
              <p class="field__error" id="form-problem">
                {problem}
              </p>
            )}
            <button type="submit" class="button button--primary button--large button--wide" disabled={!values || problem !== null || busy} aria-describedby={problem ? 'form-problem' : undefined}>
              {busy ? (
                <>
                  <span class="spinner" aria-hidden="true" /> Generating…
                </>
              ) : (
                'Generate ads'
              )}
            </button>
          </div>
        </form>
        <div class="output">
          <Results />
          {snippets.length > 0 && <CodePanel snippets={snippets} />}
        </div>
      </div>
    </main>
  );
}
