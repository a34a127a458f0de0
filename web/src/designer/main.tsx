/**
 * The template designer at /designer: the organisation's templates, made and
 * changed without writing JSON, drawn by the engine in the page, saved through
 * the API as versions. `?template=<id>` opens one.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createBrowserEngine, fetchTemplateDocument } from '../engine-host/index.js';
import type { BrandSummary, TemplateSummary } from '../playground/api.js';
import { client, token } from '../playground/session.js';
import { reportError } from '../playground/catalog.js';
import type { TemplateDocument } from '../../../src/engine/model/template.js';
import { newTemplate, privateCopy } from './model/template.js';
import { DesignerStore } from './store.js';
import { Designer } from './ui/Designer.js';
import { Gate } from './ui/Gate.js';
import { Home } from './ui/Home.js';
import '../shared/shared.css';
import '../editor/editor.css';
import './designer.css';

const engine = createBrowserEngine({ token: () => token.value });

function App() {
  const c = client.value;
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [brands, setBrands] = useState<BrandSummary[]>([]);
  const [store, setStore] = useState<DesignerStore | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = async () => {
    if (!c) return;
    try {
      const [t, b] = await Promise.all([c.templates.list({ include: 'public' }), c.brands.list({ include: 'public' })]);
      setTemplates(t);
      // The organisation's own brands first: the preview starts with the one it most likely designs for.
      setBrands([...b.filter((x) => !x.public), ...b.filter((x) => x.public)]);
    } catch (err) {
      setProblem(reportError(err, 'Could not list the templates and brands'));
    }
  };

  const openDoc = (doc: TemplateDocument, stored: { id: number; version: number } | null) => {
    if (!c) return;
    setStore(new DesignerStore(doc, c, stored));
  };

  const openStored = async (id: number) => {
    try {
      const rec = await fetchTemplateDocument(id, { token: () => token.value });
      openDoc(rec.document, { id: rec.id, version: rec.version });
      history.replaceState(null, '', `?template=${id}`);
    } catch (err) {
      setProblem(`Template ${id} could not be opened: ${(err as Error).message}`);
    }
  };

  useEffect(() => {
    void refresh();
    const id = Number(new URLSearchParams(location.search).get('template'));
    if (Number.isInteger(id) && id > 0) void openStored(id);
  }, [c]);

  if (!c) return <Gate />;
  if (store) {
    return (
      <Designer
        key={store.id.value ?? 'new'}
        store={store}
        engine={engine}
        brands={brands}
        onClose={() => {
          // In-app navigation away from unsaved work asks first, as closing the tab does.
          if (store.dirty.value && !confirm('Leave the designer? Your unsaved changes will be lost.')) return;
          setStore(null);
          history.replaceState(null, '', location.pathname);
          void refresh();
        }}
      />
    );
  }
  if (!templates) return <main class="d-home">{problem ? <p class="d-bad">{problem}</p> : <p class="hint">Loading your templates…</p>}</main>;
  return (
    <Home
      templates={templates}
      problem={problem}
      onOpen={(id) => void openStored(id)}
      onNew={(name, w, h) => openDoc(newTemplate(name, w, h), null)}
      onDuplicate={(id) =>
        void fetchTemplateDocument(id, { token: () => token.value })
          .then((rec) => openDoc(privateCopy(rec.document), null))
          .catch((err: Error) => setProblem(`Template ${id} could not be copied: ${err.message}`))
      }
    />
  );
}

render(<App />, document.getElementById('app')!);
