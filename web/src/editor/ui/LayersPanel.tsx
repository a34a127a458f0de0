/**
 * Layers, top of the paint order first: select (shift adds), show/hide,
 * lock/unlock, and reorder by dragging a row or with the up/down buttons.
 */
import { useState } from 'preact/hooks';
import { isLocked, reorder, setHidden, setLocked } from '../model/commands.js';
import type { Element } from '../model/types.js';
import type { CanvasStore } from '../canvas-store.js';
import { Icon, type IconName } from './icons.js';

const KIND_ICON: Record<Element['layer_type'], IconName> = { text: 'text', image: 'image', smartImage: 'image', logo: 'logo', shape: 'shape' };
const KIND_LABEL: Record<Element['layer_type'], string> = { text: 'Text', image: 'Image', smartImage: 'Product image', logo: 'Logo', shape: 'Shape' };

export function layerLabel(store: CanvasStore, el: Element): string {
  if (el.name) return el.name;
  if (el.layer_type === 'text') {
    const text = store.contentOf(el).replace(/\s+/g, ' ').trim();
    if (text) return text.length > 28 ? `${text.slice(0, 27)}…` : text;
  }
  return el.content_type ?? KIND_LABEL[el.layer_type];
}

export function LayersPanel({ store }: { store: CanvasStore }) {
  const doc = store.doc.value;
  const elements = doc.scene.elements;
  const selection = new Set(store.selection.value);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<number | null>(null);
  // Top of the paint order first, as designers expect.
  const rows = elements.map((el, index) => ({ el, index })).reverse();

  return (
    <aside class="panel layers" aria-labelledby="layers-title">
      <h2 id="layers-title" class="panel-title">Layers</h2>
      <ul class="layer-list" role="list">
        {rows.map(({ el, index }) => {
          const hidden = !!doc.hidden[el.id];
          const locked = isLocked(doc, el.id);
          const label = layerLabel(store, el);
          return (
            <li
              key={el.id}
              class={`layer${selection.has(el.id) ? ' is-selected' : ''}${hidden ? ' is-hidden' : ''}${over === index && dragging ? ' is-drop' : ''}`}
              draggable
              onDragStart={(e) => {
                setDragging(el.id);
                e.dataTransfer?.setData('text/plain', el.id);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
              }}
              onDragOver={(e) => {
                e.preventDefault();
                setOver(index);
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => {
                e.preventDefault();
                const id = e.dataTransfer?.getData('text/plain') || dragging;
                if (id) store.dispatch(reorder(store.doc.value, id, index));
                setDragging(null);
                setOver(null);
              }}
              onDragEnd={() => {
                setDragging(null);
                setOver(null);
              }}
              onMouseEnter={() => (store.hovered.value = el.id)}
              onMouseLeave={() => (store.hovered.value = null)}
            >
              <span class="layer-grip" aria-hidden="true">
                <Icon name="grip" />
              </span>
              <button
                type="button"
                class="layer-name"
                aria-pressed={selection.has(el.id)}
                title={`${KIND_LABEL[el.layer_type]}: ${label}`}
                onClick={(e) => store.select([el.id], e.shiftKey)}
              >
                <Icon name={KIND_ICON[el.layer_type]} />
                <span>{label}</span>
              </button>
              <span class="layer-actions">
                <button type="button" class="icon-btn" aria-label={`Bring ${label} forward`} title="Bring forward" disabled={index === elements.length - 1} onClick={() => store.dispatch(reorder(store.doc.value, el.id, index + 1))}>
                  <Icon name="up" />
                </button>
                <button type="button" class="icon-btn" aria-label={`Send ${label} backward`} title="Send backward" disabled={index === 0} onClick={() => store.dispatch(reorder(store.doc.value, el.id, index - 1))}>
                  <Icon name="down" />
                </button>
                <button type="button" class="icon-btn" aria-label={`${hidden ? 'Show' : 'Hide'} ${label}`} aria-pressed={hidden} title={hidden ? 'Show' : 'Hide'} onClick={() => store.dispatch(setHidden(store.doc.value, [el.id], !hidden))}>
                  <Icon name={hidden ? 'eyeOff' : 'eye'} />
                </button>
                <button type="button" class="icon-btn" aria-label={`${locked ? 'Unlock' : 'Lock'} ${label}`} aria-pressed={locked} title={locked ? 'Unlock' : 'Lock'} onClick={() => store.dispatch(setLocked(store.doc.value, [el.id], !locked))}>
                  <Icon name={locked ? 'lock' : 'unlock'} />
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
