import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import { parseTemplate } from '../../src/engine/model/validate.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import {
  deleteElements,
  duplicate,
  editable,
  elementById,
  isLocked,
  moveFrom,
  nudge,
  reorder,
  resize,
  rotate,
  setHidden,
  setImage,
  setBoxes,
  setLocked,
  setLogoVariant,
  setStyle,
  setText,
} from '../../web/src/editor/model/commands.js';
import { applyToAllInput, editedTemplate, effectiveContent, loadDoc, normalizeScene, renderElements, templateIds } from '../../web/src/editor/model/document.js';
import { bounds, containsPoint, hitTest, marqueeHits, resizeBox, rotationTowards } from '../../web/src/editor/model/geometry.js';
import { groupBox, resizeGroup } from '../../web/src/editor/model/group.js';
import { History } from '../../web/src/editor/model/history.js';
import { applyChange, invertChange } from '../../web/src/editor/model/patch.js';
import { snapMove, snapResize } from '../../web/src/editor/model/snap.js';
import type { Box, Change, EditorDoc } from '../../web/src/editor/model/types.js';

const TEMPLATE = publicTemplate('1062')!;
const BRAND = publicBrand('167')!;
const JOB_INPUTS = [{ content_type: 'Heading #1', content: 'Summer sale' }];

function fresh(): { doc: EditorDoc; inputs: typeof JOB_INPUTS } {
  const { doc, inputs } = loadDoc(TEMPLATE, 0, JOB_INPUTS, null);
  return { doc, inputs: inputs as typeof JOB_INPUTS };
}

const box = (doc: EditorDoc, id: string) => elementById(doc, id)!.box;

/** Plans the edited scene with the real engine (what the browser and the server then draw). */
function plan(doc: EditorDoc, inputs = JOB_INPUTS) {
  const template = editedTemplate(TEMPLATE, 0, doc);
  parseTemplate(JSON.parse(JSON.stringify(template)) as TemplateDocument);
  return buildPlans({ template, brand: BRAND, elements: renderElements(template, doc, inputs) })[0]!;
}

describe('changes, not snapshots', () => {
  it('a move records the box before and after, and its inverse restores it', () => {
    const { doc } = fresh();
    const start = box(doc, 's1-heading');
    const change = moveFrom(doc, new Map([['s1-heading', start]]), 40, -5)!;
    expect(change.ops).toEqual([{ kind: 'set', path: ['scene', 'elements', 3, 'box'], before: start, after: { ...start, x: start.x + 40, y: start.y - 5 } }]);
    const moved = applyChange(doc, change);
    expect(box(moved, 's1-heading')).toMatchObject({ x: 112, y: 185 });
    // Untouched elements are shared, not copied.
    expect(moved.scene.elements[0]).toBe(doc.scene.elements[0]);
    expect(applyChange(moved, invertChange(change))).toEqual(doc);
  });

  it('every command round-trips through its inverse and keeps a valid template', () => {
    const { doc, inputs } = fresh();
    const cases: Array<Change | null> = [
      resize(doc, 's1-body', { ...box(doc, 's1-body'), width: 300, height: 200 }),
      rotate(doc, 's1-logo', 15),
      setText(doc, 's1-heading', 'New words'),
      setStyle(doc, 's1-heading', 'color', 'brand.accent'),
      setStyle(doc, 's1-heading', 'font_family', 'brand.body_font'),
      setStyle(doc, 's1-cta-button', 'fill', 'brand.accent'),
      setImage(doc, 's1-photo', 'http://127.0.0.1/x.png'),
      setLogoVariant(doc, 's1-logo', 'on_dark'),
      reorder(doc, 's1-heading', 0),
      setHidden(doc, ['s1-body', 's1-accent'], true),
      setLocked(doc, ['s1-photo'], true),
      deleteElements(doc, ['s1-accent', 's1-heading']),
      duplicate(doc, ['s1-heading', 's1-cta-label'], templateIds(TEMPLATE, doc))!.change,
      nudge(doc, ['s1-heading'], 'ArrowUp', true),
    ];
    for (const c of cases) {
      expect(c, 'command answered a change').not.toBeNull();
      const after = applyChange(doc, c!);
      expect(after).not.toEqual(doc);
      expect(applyChange(after, invertChange(c!))).toEqual(doc);
      plan(after, inputs);
    }
  });

  it('commands that change nothing answer null; styles outside a layer type are refused', () => {
    const { doc } = fresh();
    expect(setStyle(doc, 's1-photo', 'font_family', 'Inter')).toBeNull();
    expect(setText(doc, 's1-photo', 'x')).toBeNull();
    expect(setImage(doc, 's1-heading', 'http://x/y.png')).toBeNull();
    expect(reorder(doc, 's1-photo', 0)).toBeNull();
    expect(setHidden(doc, ['s1-body'], false)).toBeNull();
    expect(setStyle(doc, 's1-heading', 'color', (elementById(doc, 's1-heading')!.style as { color: string }).color)).toBeNull();
  });
});

describe('the edited scene through the real engine', () => {
  it('moved, resized, re-worded, recoloured, hidden, reordered: the plan says so', () => {
    const { doc, inputs } = fresh();
    let d = doc;
    const apply = (c: Change | null) => (d = applyChange(d, c!));
    apply(moveFrom(d, new Map([['s1-heading', box(d, 's1-heading')]]), 40, 0));
    apply(resize(d, 's1-body', { ...box(d, 's1-body'), width: 420 }));
    apply(setText(d, 's1-heading', 'Edited in place'));
    apply(setStyle(d, 's1-heading', 'color', 'brand.accent'));
    apply(setHidden(d, ['s1-accent'], true));
    apply(reorder(d, 's1-photo', 7));
    const p = plan(d, inputs);
    const heading = p.layers.find((l) => l.id === 's1-heading')!;
    expect(heading.box).toMatchObject({ x: 112, y: 190 });
    expect(heading.kind === 'text' && heading.text).toBe('Edited in place');
    expect(heading.kind === 'text' && heading.color).toBe('rgb(154,106,58)'); // brand 167's accent #9A6A3A
    expect(p.layers.find((l) => l.id === 's1-body')!.box.width).toBe(420);
    expect(p.layers.some((l) => l.id === 's1-accent')).toBe(false);
    expect(p.layers.at(-1)!.id).toBe('s1-photo');
  });

  it('the job input by slot shows until the editor sets the text; deleted elements drop their overrides', () => {
    const { doc, inputs } = fresh();
    const heading = elementById(doc, 's1-heading')!;
    expect(effectiveContent(doc, inputs, heading)).toBe('Summer sale');
    const edited = applyChange(doc, setText(doc, 's1-heading', 'Mine')!);
    expect(effectiveContent(edited, inputs, heading)).toBe('Mine');
    expect(applyToAllInput(edited, inputs, heading)).toEqual({ content_type: 'Heading #1', content: 'Mine' });
    const gone = applyChange(edited, deleteElements(edited, ['s1-heading'])!);
    const t = editedTemplate(TEMPLATE, 0, gone);
    expect(renderElements(t, gone, inputs).some((e) => e.id === 's1-heading')).toBe(false);
    expect(plan(gone, inputs).layers.some((l) => l.id === 's1-heading')).toBe(false);
  });

  it('a saved edit loads back: content by id, hidden as "", slot inputs kept', () => {
    const { doc, inputs } = fresh();
    let d = applyChange(doc, setText(doc, 's1-body', 'Saved body')!);
    d = applyChange(d, setHidden(d, ['s1-logo'], true)!);
    const t = editedTemplate(TEMPLATE, 0, d);
    const saved = { revision: 3, scene_doc: d.scene, elements: renderElements(t, d, inputs) };
    const back = loadDoc(TEMPLATE, 0, [{ content_type: 'Heading #1', content: 'ignored: the saved edit wins' }], saved);
    expect(back.doc.content).toEqual({ 's1-body': 'Saved body' });
    expect(back.doc.hidden).toEqual({ 's1-logo': true });
    expect(back.inputs).toEqual(JOB_INPUTS);
    expect(back.doc.scene).toEqual(d.scene);
  });

  it('normalizeScene puts elements in paint order and drops order', () => {
    const scene = structuredClone(TEMPLATE.scenes[0]!);
    scene.elements[0]!.order = 5;
    const n = normalizeScene(scene);
    expect(n.elements.at(-1)!.id).toBe('s1-photo');
    expect(n.elements.every((e) => e.order === undefined)).toBe(true);
  });

  it('duplicates get ids unused across the whole template and sit above their originals', () => {
    const { doc } = fresh();
    const res = duplicate(doc, ['s1-heading'], templateIds(TEMPLATE, doc))!;
    const d = applyChange(doc, res.change);
    expect(res.ids).toEqual(['s1-heading-copy']);
    const i = d.scene.elements.findIndex((e) => e.id === 's1-heading');
    expect(d.scene.elements[i + 1]!.id).toBe('s1-heading-copy');
    expect(d.scene.elements[i + 1]!.box).toMatchObject({ x: 82, y: 200 });
    const again = duplicate(d, ['s1-heading-copy'], templateIds(TEMPLATE, d))!;
    expect(again.ids).toEqual(['s1-heading-copy-2']);
  });

  it('locked elements do not move or delete', () => {
    const { doc } = fresh();
    const d = applyChange(doc, setLocked(doc, ['s1-heading'], true)!);
    expect(nudge(d, ['s1-heading'], 'ArrowLeft', false)).toBeNull();
    expect(deleteElements(d, ['s1-heading'])).toBeNull();
    expect(nudge(d, ['s1-heading', 's1-body'], 'ArrowLeft', false)!.ops).toHaveLength(1);
  });

  it('the lock is a flag of the element in the scene document: set, saved, loaded back, undone', () => {
    const { doc } = fresh();
    const lock = setLocked(doc, ['s1-heading'], true)!;
    const i = doc.scene.elements.findIndex((e) => e.id === 's1-heading');
    expect(lock.ops).toEqual([{ kind: 'set', path: ['scene', 'elements', i, 'locked'], before: undefined, after: true }]);
    const d = applyChange(doc, lock);
    expect(elementById(d, 's1-heading')!.locked).toBe(true);
    expect(isLocked(d, 's1-heading')).toBe(true);
    expect(setLocked(d, ['s1-heading'], true)).toBeNull();
    // What Save sends is the edited scene: the engine's own schema accepts it and the engine draws it unchanged.
    const saved = JSON.parse(JSON.stringify(editedTemplate(TEMPLATE, 0, d))) as TemplateDocument;
    expect(parseTemplate(saved).scenes[0]!.elements.find((e) => e.id === 's1-heading')!.locked).toBe(true);
    expect(plan(d)).toEqual(plan(doc));
    // Reopening with that saved scene shows it locked; it stays out of moves and deletes.
    const { doc: reopened } = loadDoc(TEMPLATE, 0, [], { revision: 1, scene_doc: saved.scenes[0]!, elements: [] });
    expect(isLocked(reopened, 's1-heading')).toBe(true);
    expect(editable(reopened, ['s1-heading', 's1-body'])).toEqual(['s1-body']);
    expect(nudge(reopened, ['s1-heading'], 'ArrowRight', true)).toBeNull();
    // Unlocking removes the key (an unlocked element saves without it), and undo puts it back.
    const unlock = setLocked(reopened, ['s1-heading'], false)!;
    const u = applyChange(reopened, unlock);
    expect('locked' in elementById(u, 's1-heading')!).toBe(false);
    expect(isLocked(applyChange(u, invertChange(unlock)), 's1-heading')).toBe(true);
    // An element saved with locked: false is unlocked.
    const explicitFalse = { ...saved.scenes[0]!, elements: saved.scenes[0]!.elements.map((e) => ({ ...e, locked: false })) };
    expect(isLocked(loadDoc(TEMPLATE, 0, [], { revision: 1, scene_doc: explicitFalse, elements: [] }).doc, 's1-heading')).toBe(false);
  });

  it('the template schema refuses a lock that is not a boolean', () => {
    const bad = JSON.parse(JSON.stringify(TEMPLATE)) as { scenes: { elements: Record<string, unknown>[] }[] };
    bad.scenes[0]!.elements[0]!['locked'] = 'yes';
    expect(() => parseTemplate(bad)).toThrow(/locked/);
  });
});

describe('undo and redo', () => {
  it('a drag of many events is one step; undo and redo walk the steps; a new edit clears redo', () => {
    const { doc } = fresh();
    const h = new History();
    const start = box(doc, 's1-heading');
    let d = doc;
    for (let dx = 1; dx <= 40; dx++) d = h.record(d, moveFrom(d, new Map([['s1-heading', start]]), dx, 0, 'drag-1')!);
    h.seal();
    expect(h.steps).toEqual(['Move']);
    d = h.record(d, setText(d, 's1-heading', 'A', 'type-1')!);
    d = h.record(d, setText(d, 's1-heading', 'AB', 'type-1')!);
    h.seal();
    expect(h.steps).toEqual(['Move', 'Edit text']);
    const marked = h.mark;
    d = h.undo(d)!;
    expect(d.content['s1-heading']).toBeUndefined();
    expect(box(d, 's1-heading').x).toBe(start.x + 40);
    d = h.undo(d)!;
    expect(d).toEqual(doc);
    expect(h.undo(d)).toBeNull();
    expect(h.mark).toBe(0);
    d = h.redo(d)!;
    d = h.redo(d)!;
    expect(d.content['s1-heading']).toBe('AB');
    expect(h.mark).toBe(marked);
    d = h.undo(d)!;
    d = h.record(d, nudge(d, ['s1-body'], 'ArrowDown', false)!);
    expect(h.canRedo).toBe(false);
    expect(h.steps).toEqual(['Move', 'Nudge']);
  });

  it('a gesture that ends where it started leaves no step', () => {
    const { doc } = fresh();
    const h = new History();
    const start = box(doc, 's1-heading');
    let d = h.record(doc, moveFrom(doc, new Map([['s1-heading', start]]), 5, 0, 'g')!);
    d = h.record(d, moveFrom(d, new Map([['s1-heading', start]]), 0, 0, 'g')!);
    h.seal();
    expect(h.canUndo).toBe(false);
    expect(d).toEqual(doc);
  });

  it('same gesture id after a seal starts a new step', () => {
    const { doc } = fresh();
    const h = new History();
    const d = h.record(doc, setText(doc, 's1-heading', 'x', 'g')!);
    h.seal();
    const e = h.record(d, setText(d, 's1-heading', 'xy', 'g')!);
    expect(h.steps).toHaveLength(2);
    expect(h.undo(e)!.content['s1-heading']).toBe('x');
  });
});

describe('geometry', () => {
  const b: Box = { x: 100, y: 100, width: 200, height: 100 };

  it('resize handles change width and height and keep the opposite side', () => {
    expect(resizeBox(b, 'se', 20, 10)).toEqual({ ...b, width: 220, height: 110 });
    expect(resizeBox(b, 'nw', 20, 10)).toEqual({ x: 120, y: 110, width: 180, height: 90 });
    expect(resizeBox(b, 'e', 20, 99)).toEqual({ ...b, width: 220 });
    expect(resizeBox(b, 'n', 99, -30)).toEqual({ ...b, y: 70, height: 130 });
    expect(resizeBox(b, 'w', 500, 0).width).toBe(1);
    expect(resizeBox(b, 'se', 100, 0, { keepAspect: true })).toEqual({ ...b, width: 300, height: 150 });
  });

  it('a rotated box resizes along its own axes and its anchor corner stays put', () => {
    const r: Box = { ...b, rotation: 90 };
    // Rotated 90° clockwise, the box's own +x points down the screen.
    const out = resizeBox(r, 'e', 0, 30);
    expect(out.width).toBeCloseTo(230);
    expect(out.height).toBeCloseTo(100);
    // The west edge midpoint (the anchor) does not move.
    const west = (x: Box) => {
      const c = { x: x.x + x.width / 2, y: x.y + x.height / 2 };
      return { x: c.x, y: c.y - x.width / 2 };
    };
    expect(west(out).x).toBeCloseTo(west(r).x);
    expect(west(out).y).toBeCloseTo(west(r).y);
  });

  it('rotation handle angles, with a 15° step', () => {
    expect(rotationTowards(b, { x: 200, y: 0 })).toBe(0);
    expect(rotationTowards(b, { x: 400, y: 150 })).toBe(90);
    expect(rotationTowards(b, { x: 200, y: 400 })).toBe(180);
    expect(rotationTowards(b, { x: 0, y: 150 })).toBe(-90);
    expect(rotationTowards(b, { x: 260, y: 40 }, 15)).toBe(30);
    expect(rotationTowards(b, { x: 310, y: 40 })).toBe(45);
  });

  it('hit testing takes the topmost element and respects rotation; bounds of a rotated box', () => {
    const items = [
      { id: 'under', box: { x: 0, y: 0, width: 400, height: 400 } },
      { id: 'over', box: { ...b, rotation: 45 } },
    ];
    expect(hitTest(items, { x: 200, y: 150 })).toBe('over');
    // Inside the unrotated box's corner but outside the rotated one.
    expect(containsPoint(items[1]!.box, { x: 295, y: 105 })).toBe(false);
    expect(hitTest(items, { x: 295, y: 105 })).toBe('under');
    expect(hitTest(items, { x: 500, y: 500 })).toBeNull();
    const bb = bounds({ x: 0, y: 0, width: 100, height: 100, rotation: 45 });
    expect(bb.width).toBeCloseTo(141.42, 1);
    expect(bb.x).toBeCloseTo(50 - 70.71, 1);
  });

  it('the marquee selects what it touches, and a click selects nothing', () => {
    const items = [
      { id: 'a', box: { x: 0, y: 0, width: 50, height: 50 } },
      { id: 'b', box: { x: 100, y: 0, width: 50, height: 50 } },
      { id: 'c', box: { x: 0, y: 100, width: 50, height: 50 } },
    ];
    expect(marqueeHits(items, { x: 40, y: -10, width: 70, height: 20 })).toEqual(['a', 'b']);
    expect(marqueeHits(items, { x: 60, y: 60, width: 30, height: 30 })).toEqual([]);
    expect(marqueeHits(items, { x: 10, y: 10, width: 0, height: 0 })).toEqual([]);
  });
});

describe('group resize', () => {
  const a: Box = { x: 100, y: 100, width: 100, height: 50 };
  const b2: Box = { x: 300, y: 200, width: 100, height: 100 };
  const starts = new Map([
    ['a', a],
    ['b', b2],
  ]);

  it('the group box is the union of the elements\' bounds', () => {
    expect(groupBox(starts.values())).toEqual({ x: 100, y: 100, width: 300, height: 200 });
  });

  it('a corner scales every box within the group; the opposite corner stays', () => {
    // The group 300×200 at (100,100) dragged by its south-east corner to 600×300: ×2 across, ×1.5 down.
    const out = resizeGroup(starts, 'se', 300, 100);
    expect(out.get('a')).toEqual({ x: 100, y: 100, width: 200, height: 75 });
    expect(out.get('b')).toEqual({ x: 500, y: 250, width: 200, height: 150 });
    expect(groupBox(out.values())).toEqual({ x: 100, y: 100, width: 600, height: 300 });
  });

  it('the north-west corner keeps the south-east one; an edge scales one axis only', () => {
    const nw = resizeGroup(starts, 'nw', 150, 100);
    expect(groupBox(nw.values())).toEqual({ x: 250, y: 200, width: 150, height: 100 });
    expect(nw.get('b')).toEqual({ x: 350, y: 250, width: 50, height: 50 });
    const e = resizeGroup(starts, 'e', -150, 40);
    expect(e.get('a')).toEqual({ x: 100, y: 100, width: 50, height: 50 });
    expect(e.get('b')).toEqual({ x: 200, y: 200, width: 50, height: 100 });
  });

  it('shift on a corner keeps the group\'s aspect', () => {
    const out = resizeGroup(starts, 'se', 300, 0, { keepAspect: true });
    expect(groupBox(out.values())).toEqual({ x: 100, y: 100, width: 600, height: 400 });
    expect(out.get('a')).toEqual({ x: 100, y: 100, width: 200, height: 100 });
  });

  it('rotated elements keep their rotation and their centre\'s place; boxes never go below 1 px', () => {
    const r = new Map([
      ['a', a],
      ['r', { x: 300, y: 200, width: 100, height: 100, rotation: 45, opacity: 0.5 }],
    ]);
    const g = groupBox(r.values())!;
    const out = resizeGroup(r, 'se', g.width, g.height);
    expect(out.get('r')).toMatchObject({ rotation: 45, opacity: 0.5, width: 200, height: 200 });
    const tiny = resizeGroup(starts, 'e', -1000, 0);
    for (const box of tiny.values()) expect(box.width).toBeGreaterThanOrEqual(1);
  });

  it('one drag of many moves is one undo step that restores every box', () => {
    const { doc } = fresh();
    const ids = ['s1-heading', 's1-body'];
    const from = new Map(ids.map((id) => [id, box(doc, id)]));
    const h = new History();
    let d = doc;
    for (let step = 1; step <= 20; step++) d = h.record(d, setBoxes(d, resizeGroup(from, 'se', step * 5, step * 3), 'Resize', 'group-1')!);
    h.seal();
    expect(h.steps).toEqual(['Resize']);
    expect(box(d, 's1-heading').width).toBeGreaterThan(from.get('s1-heading')!.width);
    plan(d);
    expect(h.undo(d)).toEqual(doc);
  });

  it('a locked element in the group keeps its box', () => {
    const { doc } = fresh();
    const d = applyChange(doc, setLocked(doc, ['s1-body'], true)!);
    const from = new Map(['s1-heading', 's1-body'].map((id) => [id, box(d, id)]));
    const c = setBoxes(d, resizeGroup(from, 'se', 50, 50), 'Resize')!;
    expect(c.ops).toHaveLength(1);
    expect(box(applyChange(d, c), 's1-body')).toEqual(box(d, 's1-body'));
  });
});

describe('snapping', () => {
  const scene = { width: 1080, height: 1080 };

  it('snaps to the scene centre and reports a guide across the scene', () => {
    const s = snapMove({ x: 437, y: 300, width: 200, height: 100 }, [], scene, 6);
    expect(s.dx).toBe(3);
    expect(s.dy).toBe(0);
    expect(s.guides).toEqual([{ axis: 'x', at: 540, from: 0, to: 1080 }]);
  });

  it('snaps to another element\'s edge on both axes, the nearest line winning', () => {
    const other = { x: 600, y: 600, width: 100, height: 100 };
    const s = snapMove({ x: 497, y: 596, width: 100, height: 50 }, [other], scene, 6);
    // Right edge 597 → 600 (other's left); top 596 → 600 (other's top).
    expect(s.dx).toBe(3);
    expect(s.dy).toBe(4);
    expect(s.guides).toContainEqual({ axis: 'x', at: 600, from: 600, to: 700 });
    expect(s.guides).toContainEqual({ axis: 'y', at: 600, from: 500, to: 700 });
  });

  it('nothing within the threshold: no snap, no guides', () => {
    expect(snapMove({ x: 300, y: 300, width: 101, height: 101 }, [{ x: 700, y: 900, width: 10, height: 10 }], scene, 4)).toEqual({ dx: 0, dy: 0, guides: [] });
  });

  it('resizing snaps only the moving edges', () => {
    const r = snapResize({ x: 100, y: 100, width: 437, height: 100 }, { right: true }, [], scene, 6);
    expect(r.rect).toEqual({ x: 100, y: 100, width: 440, height: 100 });
    expect(r.guides).toEqual([{ axis: 'x', at: 540, from: 0, to: 1080 }]);
    const l = snapResize({ x: 3, y: 100, width: 200, height: 100 }, { left: true }, [], scene, 6);
    expect(l.rect).toEqual({ x: 0, y: 100, width: 203, height: 100 });
  });
});
