/**
 * The canvas the engine draws on, and over it the overlay (DOM/SVG) that
 * selects, moves, resizes and rotates, drags a marquee and draws snapping
 * guides. Boxes come from the engine's last plan, in scene pixels; the overlay
 * multiplies by the zoom.
 */
import { useSignalEffect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { editable, isLocked, moveFrom, resize, rotate, setBoxes } from '../model/commands.js';
import { bounds, hitTest, marqueeHits, rectFromPoints, resizeBox, rotationTowards, union, handleSigns } from '../model/geometry.js';
import { groupBox, resizeGroup } from '../model/group.js';
import { snapMove, snapResize } from '../model/snap.js';
import { HANDLES, type Box, type Handle, type Point, type Rect } from '../model/types.js';
import type { CanvasStore } from '../canvas-store.js';
import { TextEditor } from './TextEditor.js';

type Drag =
  | { kind: 'move'; start: Point; starts: Map<string, Box>; gesture: string; others: Rect[]; startBounds: Rect }
  | { kind: 'resize'; id: string; handle: Handle; start: Point; startBox: Box; gesture: string; others: Rect[] }
  | { kind: 'group-resize'; handle: Handle; start: Point; starts: Map<string, Box>; gesture: string }
  | { kind: 'rotate'; id: string; startBox: Box; gesture: string }
  | { kind: 'marquee'; start: Point; base: string[]; additive: boolean };

const SNAP_SCREEN_PX = 6;
const HANDLE_PX = 9;
const ROTATE_OFFSET_PX = 26;

let gestureCounter = 0;
const nextGesture = (kind: string) => `${kind}-${++gestureCounter}`;

/** The stage's padding on each side (CSS .stage), kept clear so handles outside the scene stay visible. */
const STAGE_PADDING = 40;

/** The zoom that shows the whole scene in the stage (at most 400 %). */
export function zoomToFit(store: CanvasStore, stage: HTMLElement): void {
  const z = Math.min((stage.clientWidth - 2 * STAGE_PADDING) / store.scene.width, (stage.clientHeight - 2 * STAGE_PADDING) / store.scene.height);
  if (z > 0 && Number.isFinite(z)) store.zoom.value = Math.round(Math.min(z, 4) * 1000) / 1000;
}

export function boxOf(store: CanvasStore, id: string): Box | null {
  const el = store.doc.value.scene.elements.find((e) => e.id === id);
  if (!el) return null;
  // The box of the frame the engine drew, so the outline sits on its pixels; when an edit is newer than that frame
  // (the render comes on the next animation frame) the document's box, so handles are never where the element was.
  const drawn = store.rendered.value?.boxes.get(id);
  return drawn && sameBox(drawn, el.box) ? drawn : el.box;
}

function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height && (a.rotation ?? 0) === (b.rotation ?? 0);
}

/** Elements the pointer can pick on the canvas: drawn, not hidden, not locked; in paint order. */
function pickable(store: CanvasStore) {
  const doc = store.doc.value;
  return doc.scene.elements.filter((el) => !doc.hidden[el.id] && !el.locked).map((el) => ({ id: el.id, box: el.box }));
}

const HANDLE_CURSORS: Record<Handle, string> = { n: 'ns-resize', s: 'ns-resize', e: 'ew-resize', w: 'ew-resize', ne: 'nesw-resize', sw: 'nesw-resize', nw: 'nwse-resize', se: 'nwse-resize' };

export function Stage({ store, canvasRef }: { store: CanvasStore; canvasRef: { current: HTMLCanvasElement | null } }) {
  const wrap = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const scene = store.scene;
  const zoom = store.zoom.value;
  const w = scene.width * zoom;
  const h = scene.height * zoom;

  // Zoom to fit the available space, and again whenever it changes size.
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const fit = () => zoomToFit(store, el);
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const toScene = (e: PointerEvent | MouseEvent): Point => {
    const r = overlay.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / store.zoom.value, y: (e.clientY - r.top) / store.zoom.value };
  };

  const othersThan = (ids: Set<string>): Rect[] => {
    const doc = store.doc.value;
    return doc.scene.elements.filter((el) => !ids.has(el.id) && !doc.hidden[el.id]).map((el) => bounds(el.box));
  };

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const target = e.target as Element;
    const p = toScene(e);
    const handle = target.getAttribute('data-handle');
    const selection = store.selection.value;
    if (store.editingText.value && target.closest('textarea')) return;
    // Keyboard shortcuts act on the canvas; a mouse focus draws no focus ring (keyboard focus does).
    overlay.current!.focus({ preventScroll: true, focusVisible: false } as FocusOptions);
    if (handle && selection.length === 1) {
      const id = selection[0]!;
      const el = store.doc.value.scene.elements.find((x) => x.id === id);
      if (!el || isLocked(store.doc.value, id)) return;
      overlay.current!.setPointerCapture(e.pointerId);
      e.preventDefault();
      if (handle === 'rotate') drag.current = { kind: 'rotate', id, startBox: el.box, gesture: nextGesture('rotate') };
      else drag.current = { kind: 'resize', id, handle: handle as Handle, start: p, startBox: el.box, gesture: nextGesture('resize'), others: othersThan(new Set([id])) };
      return;
    }
    if (handle && handle !== 'rotate' && selection.length > 1) {
      const doc = store.doc.value;
      const starts = new Map<string, Box>();
      for (const id of editable(doc, selection)) starts.set(id, doc.scene.elements.find((x) => x.id === id)!.box);
      if (starts.size !== selection.length) return;
      overlay.current!.setPointerCapture(e.pointerId);
      e.preventDefault();
      drag.current = { kind: 'group-resize', handle: handle as Handle, start: p, starts, gesture: nextGesture('resize') };
      return;
    }
    if (store.editingText.value) store.editingText.value = null;
    const hit = hitTest(pickable(store), p);
    overlay.current!.setPointerCapture(e.pointerId);
    e.preventDefault();
    if (!hit) {
      if (!e.shiftKey) store.deselect();
      drag.current = { kind: 'marquee', start: p, base: e.shiftKey ? selection : [], additive: e.shiftKey };
      return;
    }
    if (e.shiftKey) {
      store.select([hit], true);
      if (!store.selection.value.includes(hit)) return;
    } else if (!selection.includes(hit)) store.select([hit]);
    const doc = store.doc.value;
    const starts = new Map<string, Box>();
    for (const id of store.selection.value) {
      const el = doc.scene.elements.find((x) => x.id === id);
      if (el && !isLocked(doc, id)) starts.set(id, el.box);
    }
    if (starts.size === 0) return;
    drag.current = {
      kind: 'move',
      start: p,
      starts,
      gesture: nextGesture('move'),
      others: othersThan(new Set(starts.keys())),
      startBounds: union([...starts.values()].map(bounds))!,
    };
  };

  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    const p = toScene(e);
    if (!d) {
      store.hovered.value = hitTest(pickable(store), p);
      return;
    }
    const threshold = SNAP_SCREEN_PX / store.zoom.value;
    const snapOn = !e.altKey;
    switch (d.kind) {
      case 'move': {
        let dx = p.x - d.start.x;
        let dy = p.y - d.start.y;
        // Shift keeps the move on one axis.
        if (e.shiftKey) {
          if (Math.abs(dx) > Math.abs(dy)) dy = 0;
          else dx = 0;
        }
        const raw = { ...d.startBounds, x: d.startBounds.x + dx, y: d.startBounds.y + dy };
        const snap = snapOn ? snapMove(raw, d.others, store.scene, threshold) : { dx: 0, dy: 0, guides: [] };
        store.dispatch(moveFrom(store.doc.value, d.starts, dx + snap.dx, dy + snap.dy, d.gesture));
        store.guides.value = snap.guides;
        break;
      }
      case 'resize': {
        let box = resizeBox(d.startBox, d.handle, p.x - d.start.x, p.y - d.start.y, { keepAspect: e.shiftKey });
        let guides: typeof store.guides.value = [];
        if (snapOn && !d.startBox.rotation && !e.shiftKey) {
          const [sx, sy] = handleSigns(d.handle);
          const snapped = snapResize(box, { left: sx < 0, right: sx > 0, top: sy < 0, bottom: sy > 0 }, d.others, store.scene, threshold);
          box = { ...box, ...snapped.rect };
          guides = snapped.guides;
        }
        store.dispatch(resize(store.doc.value, d.id, box, d.gesture));
        store.guides.value = guides;
        break;
      }
      case 'group-resize':
        // One gesture id for the whole drag: every element's new box lands in one undo step.
        store.dispatch(setBoxes(store.doc.value, resizeGroup(d.starts, d.handle, p.x - d.start.x, p.y - d.start.y, { keepAspect: e.shiftKey }), 'Resize', d.gesture));
        break;
      case 'rotate':
        store.dispatch(rotate(store.doc.value, d.id, rotationTowards(d.startBox, p, e.shiftKey ? 15 : 0), d.gesture));
        break;
      case 'marquee': {
        const rect = rectFromPoints(d.start, p);
        store.marquee.value = rect;
        const hits = marqueeHits(pickable(store), rect);
        store.selection.value = d.additive ? [...new Set([...d.base, ...hits])] : hits;
        break;
      }
    }
  };

  const endDrag = () => {
    if (!drag.current) return;
    drag.current = null;
    store.seal();
    store.guides.value = [];
    store.marquee.value = null;
  };

  const onDoubleClick = (e: MouseEvent) => {
    const hit = hitTest(pickable(store), toScene(e));
    const el = hit ? store.doc.value.scene.elements.find((x) => x.id === hit) : null;
    if (el?.layer_type === 'text') {
      store.select([el.id]);
      store.editingText.value = el.id;
    }
  };

  // Keep the canvas's CSS size equal to the scene at this zoom (the engine sets its device size).
  useSignalEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    c.style.width = `${store.scene.width * store.zoom.value}px`;
    c.style.height = `${store.scene.height * store.zoom.value}px`;
  });

  const selection = store.selection.value;
  const single = selection.length === 1 ? selection[0]! : null;
  const singleLocked = single ? isLocked(store.doc.value, single) : false;
  const hovered = store.hovered.value;
  const editing = store.editingText.value;
  const selectedBoxes = selection.map((id) => ({ id, box: boxOf(store, id) })).filter((b): b is { id: string; box: Box } => b.box !== null);
  const groupBounds = selectedBoxes.length > 1 ? groupBox(selectedBoxes.map((b) => b.box)) : null;
  // The group resizes by its handles only when nothing in it is locked (as a locked single element shows none).
  const groupResizable = groupBounds !== null && selectedBoxes.every(({ id }) => !isLocked(store.doc.value, id));
  const marquee = store.marquee.value;
  const guides = store.guides.value;
  const labelOf = (id: string) => {
    const el = store.doc.value.scene.elements.find((x) => x.id === id);
    return el ? (el.name ?? el.content_type ?? el.id) : id;
  };

  // Ctrl/Cmd + wheel (and a trackpad pinch, which browsers send as ctrl+wheel) zooms; a plain wheel scrolls.
  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    const z = store.zoom.value * Math.exp(-e.deltaY / 300);
    store.zoom.value = Math.round(Math.max(0.05, Math.min(8, z)) * 1000) / 1000;
  };

  return (
    <div class="stage" ref={wrap} onWheel={onWheel}>
      <div class="stage-page" style={{ width: `${w}px`, height: `${h}px` }}>
        <canvas
          ref={canvasRef}
          class="stage-canvas"
          role="img"
          aria-label={`${scene.name}, ${scene.width} × ${scene.height} pixels, drawn by the ad engine`}
        />
        <div
          ref={overlay}
          class="stage-overlay"
          role="application"
          aria-roledescription="ad canvas"
          aria-label={`Canvas: ${scene.name}. ${selection.length ? `${selection.length} selected: ${selection.map(labelOf).join(', ')}.` : 'Nothing selected.'} Arrows nudge, Delete removes, Enter edits text, Escape deselects.`}
          tabIndex={0}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
          onPointerLeave={() => (store.hovered.value = null)}
          onDblClick={onDoubleClick}
        >
          <svg class="stage-svg" width={w} height={h} aria-hidden="true">
            {hovered && !selection.includes(hovered) && <Outline box={boxOf(store, hovered)} zoom={zoom} cls="hover" />}
            {selectedBoxes
              .filter(({ id }) => id !== editing)
              .map(({ id, box }) => (
                <Outline key={id} box={box} zoom={zoom} cls={isLocked(store.doc.value, id) ? 'selected locked' : 'selected'} />
              ))}
            {groupBounds && (
              <rect class="group" x={groupBounds.x * zoom} y={groupBounds.y * zoom} width={groupBounds.width * zoom} height={groupBounds.height * zoom} />
            )}
            {single && !singleLocked && editing !== single && <Handles box={boxOf(store, single)} zoom={zoom} rotatable />}
            {groupResizable && <Handles box={groupBounds} zoom={zoom} rotatable={false} />}
            {guides.map((g, i) =>
              g.axis === 'x' ? (
                <line key={i} class="guide" x1={g.at * zoom} x2={g.at * zoom} y1={g.from * zoom} y2={g.to * zoom} />
              ) : (
                <line key={i} class="guide" y1={g.at * zoom} y2={g.at * zoom} x1={g.from * zoom} x2={g.to * zoom} />
              ),
            )}
            {marquee && <rect class="marquee" x={marquee.x * zoom} y={marquee.y * zoom} width={marquee.width * zoom} height={marquee.height * zoom} />}
          </svg>
          {editing && <TextEditor store={store} id={editing} />}
        </div>
      </div>
    </div>
  );
}

function rotation(box: Box, zoom: number): string | undefined {
  if (!box.rotation) return undefined;
  return `rotate(${box.rotation} ${(box.x + box.width / 2) * zoom} ${(box.y + box.height / 2) * zoom})`;
}

function Outline({ box, zoom, cls }: { box: Box | null; zoom: number; cls: string }) {
  if (!box) return null;
  return <rect class={cls} x={box.x * zoom} y={box.y * zoom} width={box.width * zoom} height={box.height * zoom} transform={rotation(box, zoom)} />;
}

function Handles({ box, zoom, rotatable }: { box: Box | null; zoom: number; rotatable: boolean }) {
  if (!box) return null;
  const x = box.x * zoom;
  const y = box.y * zoom;
  const w = box.width * zoom;
  const h = box.height * zoom;
  const half = HANDLE_PX / 2;
  const pos = (handle: Handle) => {
    const [sx, sy] = handleSigns(handle);
    return { cx: x + ((sx + 1) / 2) * w, cy: y + ((sy + 1) / 2) * h };
  };
  return (
    <g transform={rotation(box, zoom)}>
      {rotatable && <line class="rotate-stem" x1={x + w / 2} x2={x + w / 2} y1={y} y2={y - ROTATE_OFFSET_PX} />}
      {rotatable && <circle class="handle rotate" data-handle="rotate" cx={x + w / 2} cy={y - ROTATE_OFFSET_PX} r={half + 1} style={{ cursor: 'grab' }} />}
      {HANDLES.map((handle) => {
        const { cx, cy } = pos(handle);
        return (
          <rect
            key={handle}
            class="handle"
            data-handle={handle}
            x={cx - half}
            y={cy - half}
            width={HANDLE_PX}
            height={HANDLE_PX}
            rx={2}
            style={{ cursor: HANDLE_CURSORS[handle] }}
          />
        );
      })}
    </g>
  );
}
