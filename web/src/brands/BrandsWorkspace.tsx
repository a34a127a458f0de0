import { useEffect } from 'preact/hooks';
import { brands, catalogError, loadCatalog } from '../playground/catalog.js';
import { client } from '../playground/session.js';
import type { BrandSummary } from '../playground/api.js';
import { BrandEditor } from './BrandEditor.js';
import { draft, duplicateBrand, opened, openBrand, saveStatus } from './store.js';

/** The organisation's brands to open, public ones to start from, and the brand open for editing. */
export function BrandsWorkspace() {
  const c = client.value;
  useEffect(() => {
    if (c) void loadCatalog(c);
  }, [c]);
  const list = brands.value;
  const own = list?.filter((b) => b.public === false) ?? [];
  const pub = list?.filter((b) => b.public !== false) ?? [];
  const openId = opened.value?.id ?? null;
  return (
    <main class="brands" id="main">
      <aside class="brands__list" aria-label="Brands">
        <h1 class="brands__title">Brand kits</h1>
        {catalogError.value && <p class="notice notice--error" role="alert">{catalogError.value}</p>}
        <h2 class="brands__heading">Your brands</h2>
        {list === null ? (
          <p class="empty" aria-busy="true">Loading…</p>
        ) : own.length === 0 ? (
          <p class="empty">None yet: start from a public brand below.</p>
        ) : (
          <ul class="brand-rows">
            {own.map((b) => (
              <BrandRow key={b.id} b={b} current={openId === b.id} />
            ))}
          </ul>
        )}
        <h2 class="brands__heading">Start from a public brand</h2>
        <ul class="brand-rows">
          {pub.map((b) => (
            <BrandRow key={b.id} b={b} current={false} />
          ))}
        </ul>
      </aside>
      <section class="brands__editor" aria-label="Brand editor">
        {draft.value ? (
          <BrandEditor />
        ) : (
          <div class="brands__empty">
            {saveStatus.value?.kind === 'error' && <p class="notice notice--error" role="alert">{saveStatus.value.text}</p>}
            <p>Open one of your brands, or duplicate a public one to start a private brand of your own.</p>
          </div>
        )}
      </section>
    </main>
  );
}

function BrandRow({ b, current }: { b: BrandSummary; current: boolean }) {
  const mine = b.public === false;
  return (
    <li class={`brand-row${current ? ' brand-row--current' : ''}`}>
      <span class="brand-row__name">
        {b.name} <span class="mono brand-row__id">#{b.id}</span>
      </span>
      <span class="brand-row__actions">
        {mine && (
          <button type="button" class="button button--small button--soft" aria-current={current ? 'true' : undefined} onClick={() => void openBrand(b)} aria-label={`Edit ${b.name}`}>
            Edit
          </button>
        )}
        <button type="button" class="button button--small button--ghost" onClick={() => void duplicateBrand(b)} aria-label={`Duplicate ${b.name}`}>
          Duplicate
        </button>
      </span>
    </li>
  );
}
