/**
 * The selected element's properties: text, colour and font from the brand
 * kit, logo variant, image by upload or URL, position and size, and "Apply to
 * all sizes" for content.
 */
import { useRef, useState } from 'preact/hooks';
import { BRAND_COLOR_ROLES } from '../../../../src/engine/model/refs.js';
import { deleteElements, editable, isLocked, setBoxes, setLogoVariant, setStyle, setText } from '../model/commands.js';
import { appliesToAllSizes } from '../model/document.js';
import type { Box, Element } from '../model/types.js';
import type { CanvasStore } from '../canvas-store.js';
import { Icon } from './icons.js';
import { layerLabel } from './LayersPanel.js';

/** The families Adsmith ships (src/node/fonts.ts); a brand's roles come first in the list. */
const SHIPPED_FAMILIES = ['Inter', 'Playfair Display', 'Bebas Neue', 'Montserrat', 'Lato', 'Space Grotesk', 'DM Sans', 'Poppins', 'Oswald', 'Noto Sans'];

let propsGesture = 0;

/** `extra` adds a page's own fields for the selected element (the designer's slot, text fit and resize rules). */
export function PropertiesPanel({ store, extra }: { store: CanvasStore; extra?: (el: Element) => preact.ComponentChildren }) {
  const selected = store.selected.value;
  return (
    <aside class="panel props" aria-labelledby="props-title">
      <h2 id="props-title" class="panel-title">{selected.length === 1 ? layerLabel(store, selected[0]!) : 'Properties'}</h2>
      {selected.length === 0 && <SceneInfo store={store} />}
      {selected.length > 1 && <MultiSelection store={store} />}
      {selected.length === 1 && <ElementProperties key={selected[0]!.id} store={store} el={selected[0]!} extra={extra} />}
    </aside>
  );
}

function SceneInfo({ store }: { store: CanvasStore }) {
  const s = store.scene;
  return (
    <div class="props-body">
      <p class="muted">{s.name.includes(`${s.width}×${s.height}`) ? s.name : `${s.name} · ${s.width} × ${s.height}`}</p>
      <p class="hint">Click an element to select it; shift-click or drag a box to select several. Double-click text to edit it in place.</p>
    </div>
  );
}

function MultiSelection({ store }: { store: CanvasStore }) {
  return (
    <div class="props-body">
      <p class="muted">{store.selection.value.length} elements selected</p>
      <SelectionActions store={store} />
    </div>
  );
}

function SelectionActions({ store }: { store: CanvasStore }) {
  const movable = editable(store.doc.value, store.selection.value).length > 0;
  return (
    <div class="row">
      <button type="button" class="btn" disabled={!movable} onClick={() => store.duplicateSelection()}>
        <Icon name="copy" /> Duplicate
      </button>
      <button type="button" class="btn danger" disabled={!movable} onClick={() => store.dispatch(deleteElements(store.doc.value, store.selection.value))}>
        <Icon name="trash" /> Delete
      </button>
    </div>
  );
}

function Field({ label, children, id }: { label: string; id: string; children: preact.ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}

function ElementProperties({ store, el, extra }: { store: CanvasStore; el: Element; extra?: ((el: Element) => preact.ComponentChildren) | undefined }) {
  const locked = isLocked(store.doc.value, el.id);
  const idp = `p-${el.id}`;
  return (
    <div class="props-body">
      {locked && <p class="notice">Locked: unlock it in Layers to move or delete it.</p>}
      <EngineWarnings store={store} id={el.id} />
      {el.layer_type === 'text' && <TextProps store={store} el={el} idp={idp} />}
      {(el.layer_type === 'image' || el.layer_type === 'smartImage') && <ImageProps store={store} el={el} idp={idp} />}
      {el.layer_type === 'logo' && <LogoProps store={store} el={el} idp={idp} />}
      {el.layer_type === 'shape' && <ColorProp store={store} el={el} styleKey="fill" label="Fill" />}
      {extra?.(el)}
      {store.applyToAll && appliesToAllSizes(el) && (
        <button type="button" class="btn wide" onClick={() => void store.applyToAll?.(el)}>
          Apply {el.layer_type === 'text' ? 'this text' : 'this image'} to all sizes
        </button>
      )}
      <BoxProps store={store} el={el} idp={idp} disabled={locked} />
      <SelectionActions store={store} />
    </div>
  );
}

/** What the engine said about this element on the last render (text shortened, below its minimum size, image not loaded). */
function EngineWarnings({ store, id }: { store: CanvasStore; id: string }) {
  const mine = (store.rendered.value?.warnings ?? []).filter((w) => w.includes(`"${id}"`)).map((w) => w.replace(/^scene_\d+ "[^"]+": /, ''));
  if (mine.length === 0) return null;
  return (
    <ul class="warnings" aria-label="Rendering notes">
      {mine.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

function TextProps({ store, el, idp }: { store: CanvasStore; el: Extract<Element, { layer_type: 'text' }>; idp: string }) {
  const gesture = useRef(`props-text-${++propsGesture}`);
  const brandFonts = store.brand ? ['brand.heading_font', 'brand.body_font'] : [];
  const family = el.style.font_family;
  const families = [...brandFonts, ...SHIPPED_FAMILIES];
  if (!families.includes(family)) families.unshift(family);
  const fontLabel = (f: string) => {
    if (f === 'brand.heading_font') return `Brand heading (${store.brand?.fonts.heading.family ?? ''})`;
    if (f === 'brand.body_font') return `Brand body (${store.brand?.fonts.body.family ?? ''})`;
    return f;
  };
  return (
    <>
      <Field label="Text" id={`${idp}-text`}>
        <textarea
          id={`${idp}-text`}
          rows={3}
          value={store.contentOf(el)}
          onInput={(e) => store.dispatch(setText(store.doc.value, el.id, (e.currentTarget as HTMLTextAreaElement).value, gesture.current))}
          onBlur={() => {
            store.seal();
            gesture.current = `props-text-${++propsGesture}`;
          }}
        />
      </Field>
      <Field label="Font" id={`${idp}-font`}>
        <select id={`${idp}-font`} value={family} onChange={(e) => store.dispatch(setStyle(store.doc.value, el.id, 'font_family', (e.currentTarget as HTMLSelectElement).value))}>
          {families.map((f) => (
            <option key={f} value={f}>
              {fontLabel(f)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Alignment" id={`${idp}-align`}>
        <select id={`${idp}-align`} value={el.style.align ?? 'start'} onChange={(e) => store.dispatch(setStyle(store.doc.value, el.id, 'align', (e.currentTarget as HTMLSelectElement).value))}>
          <option value="start">Start</option>
          <option value="left">Left</option>
          <option value="center">Centre</option>
          <option value="right">Right</option>
          <option value="end">End</option>
        </select>
      </Field>
      <ColorProp store={store} el={el} styleKey="color" label="Colour" />
    </>
  );
}

const ROLE_LABEL: Record<string, string> = { primary: 'Primary', secondary: 'Secondary', accent: 'Accent', text: 'Text', background: 'Background' };

/** Brand colour roles as swatches (radio buttons), plus any colour when the template has no brand or the designer wants one. */
function ColorProp({ store, el, styleKey, label }: { store: CanvasStore; el: Element; styleKey: 'color' | 'fill'; label: string }) {
  const current = ((el.style as Record<string, unknown>)[styleKey] as string | undefined) ?? '';
  const brand = store.brand;
  const set = (v: string) => store.dispatch(setStyle(store.doc.value, el.id, styleKey, v));
  const name = `color-${el.id}-${styleKey}`;
  const hex = /^#[0-9a-f]{6}$/i.test(current) ? current : brand && current.startsWith('brand.') ? (brand.colors[current.slice(6).split('/')[0] as keyof typeof brand.colors] ?? '#000000') : '#000000';
  return (
    <fieldset class="field swatches">
      <legend>{label}</legend>
      {brand && (
        <div class="swatch-row">
          {BRAND_COLOR_ROLES.map((role) => {
            const ref = `brand.${role}`;
            return (
              <label key={role} class={`swatch${current === ref ? ' is-on' : ''}`} title={`Brand ${ROLE_LABEL[role]} ${brand.colors[role]}`}>
                <input type="radio" name={name} value={ref} checked={current === ref} onChange={() => set(ref)} />
                <span class="chip" style={{ background: brand.colors[role] }} aria-hidden="true" />
                <span class="swatch-name">{ROLE_LABEL[role]}</span>
              </label>
            );
          })}
        </div>
      )}
      <div class="custom-color">
        <label for={`${name}-custom`}>{brand ? 'Other colour' : 'Colour value'}</label>
        <input id={`${name}-custom`} type="color" value={hex} onChange={(e) => set((e.currentTarget as HTMLInputElement).value)} />
        <code>{current}</code>
      </div>
    </fieldset>
  );
}

function LogoProps({ store, el, idp }: { store: CanvasStore; el: Extract<Element, { layer_type: 'logo' }>; idp: string }) {
  return (
    <>
      <Field label="Logo variant" id={`${idp}-variant`}>
        <select id={`${idp}-variant`} value={el.style.variant ?? 'auto'} onChange={(e) => store.dispatch(setLogoVariant(store.doc.value, el.id, (e.currentTarget as HTMLSelectElement).value as 'auto'))}>
          <option value="auto">Automatic (contrasts with what is under it)</option>
          <option value="on_light">For light backgrounds</option>
          <option value="on_dark">For dark backgrounds</option>
        </select>
      </Field>
      {store.brand && (
        <Field label="Logo" id={`${idp}-which`}>
          <select id={`${idp}-which`} value={el.style.logo ?? 'primary'} onChange={(e) => store.dispatch(setStyle(store.doc.value, el.id, 'logo', (e.currentTarget as HTMLSelectElement).value))}>
            <option value="primary">Primary logo</option>
            <option value="icon">Icon</option>
            {store.brand.logos.secondary && <option value="secondary">Secondary logo</option>}
          </select>
        </Field>
      )}
    </>
  );
}

function ImageProps({ store, el, idp }: { store: CanvasStore; el: Element; idp: string }) {
  const [url, setUrl] = useState('');
  const current = store.contentOf(el);
  return (
    <>
      <div class="field">
        <span class="label">Image</span>
        <p class="muted small ellipsis" title={current}>
          {current.startsWith('data:') ? 'Embedded image' : current.startsWith('asset:') ? `Template image (${current.slice(6)})` : current || 'None'}
        </p>
      </div>
      <div class="field">
        <label for={`${idp}-upload`} class="btn wide file-btn">
          Upload an image…
        </label>
        <input
          id={`${idp}-upload`}
          class="visually-hidden-file"
          type="file"
          accept="image/*"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void store.replaceImage(el.id, file);
            input.value = '';
          }}
        />
      </div>
      <form
        class="field"
        onSubmit={(e) => {
          e.preventDefault();
          void store.replaceImage(el.id, url);
        }}
      >
        <label for={`${idp}-url`}>Or an image address</label>
        <div class="row">
          <input id={`${idp}-url`} type="url" placeholder="https://…" value={url} onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="btn" disabled={!url.trim()}>
            Use
          </button>
        </div>
      </form>
    </>
  );
}

function BoxProps({ store, el, idp, disabled }: { store: CanvasStore; el: Element; idp: string; disabled: boolean }) {
  const b = el.box;
  const set = (key: keyof Box, raw: string) => {
    const v = Number(raw);
    if (!Number.isFinite(v)) return;
    if ((key === 'width' || key === 'height') && v <= 0) return;
    const next: Box = { ...b, [key]: key === 'rotation' ? Math.max(-360, Math.min(360, v)) : v };
    store.dispatch(setBoxes(store.doc.value, new Map([[el.id, next]]), key === 'rotation' ? 'Rotate' : key === 'width' || key === 'height' ? 'Resize' : 'Move'));
  };
  const field = (key: keyof Box, label: string, value: number) => (
    <div class="num">
      <label for={`${idp}-${key}`}>{label}</label>
      <input id={`${idp}-${key}`} type="number" step="1" value={Math.round(value * 100) / 100} disabled={disabled} onChange={(e) => set(key, (e.currentTarget as HTMLInputElement).value)} />
    </div>
  );
  return (
    <fieldset class="field box-grid">
      <legend>Position and size (px)</legend>
      {field('x', 'X', b.x)}
      {field('y', 'Y', b.y)}
      {field('width', 'W', b.width)}
      {field('height', 'H', b.height)}
      {field('rotation', 'Rotation °', b.rotation ?? 0)}
    </fieldset>
  );
}

