/**
 * Text edited where it stands: a transparent textarea over the element's box.
 * Its own glyphs are invisible (colour transparent); every keystroke updates
 * the document and the engine redraws the canvas underneath, so the letters on
 * screen are the engine's. The caret and the selection highlight stay visible,
 * set in the same font, size, line height and spacing as the engine's layout.
 */
import { useEffect, useRef } from 'preact/hooks';
import { elementById, setText } from '../model/commands.js';
import type { CanvasStore } from '../canvas-store.js';
import { boxOf } from './Stage.js';

let session = 0;

export function TextEditor({ store, id }: { store: CanvasStore; id: string }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const gesture = useRef(`text-${id}-${++session}`);
  const el = elementById(store.doc.value, id);

  useEffect(() => {
    const ta = ref.current;
    if (!ta) return;
    ta.focus();
    ta.select();
    return () => store.seal();
  }, [id]);

  if (!el || el.layer_type !== 'text') return null;
  const box = boxOf(store, id);
  if (!box) return null;
  const zoom = store.zoom.value;
  const t = store.rendered.value?.texts.get(id);
  const style: Record<string, string> = {
    left: `${box.x * zoom}px`,
    top: `${box.y * zoom}px`,
    width: `${box.width * zoom}px`,
    height: `${box.height * zoom}px`,
  };
  if (box.rotation) style['transform'] = `rotate(${box.rotation}deg)`;
  if (t) {
    const size = t.fontSize * zoom;
    // The engine's CSS font string with the size at this zoom (same families, weight and style).
    style['font'] = t.font.replace(/(\d+(?:\.\d+)?)px/, `${size}px`);
    style['lineHeight'] = `${t.lineHeightPx * zoom}px`;
    style['letterSpacing'] = `${t.letterSpacingPx * zoom}px`;
    style['textAlign'] = t.align;
    style['textTransform'] = t.transform === 'none' ? 'none' : t.transform;
    style['direction'] = t.direction;
    if (t.firstBaseline !== null) {
      // Put the first CSS line box where the engine put the first line (≈ baseline − half the line − half the x-height span).
      const lineTop = t.firstBaseline - box.y - t.lineHeightPx / 2 - t.fontSize * 0.35;
      style['paddingTop'] = `${Math.max(0, lineTop * zoom)}px`;
    }
  }

  return (
    <textarea
      ref={ref}
      class="text-editor"
      style={style}
      aria-label={`Text of ${el.name ?? el.content_type ?? el.id}`}
      spellcheck={false}
      value={store.contentOf(el)}
      onInput={(e) => store.dispatch(setText(store.doc.value, id, (e.currentTarget as HTMLTextAreaElement).value, gesture.current))}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          store.editingText.value = null;
        }
      }}
      onBlur={() => {
        if (store.editingText.value === id) store.editingText.value = null;
      }}
    />
  );
}
