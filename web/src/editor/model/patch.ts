import type { Change, EditorDoc, Op, Path } from './types.js';


/** A copy of `node` with the value at `path` replaced by `fn(old)`; untouched branches are shared. */
function updateIn(node: unknown, path: Path, fn: (old: unknown) => unknown): unknown {
  if (path.length === 0) return fn(node);
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(node)) {
    const copy = node.slice();
    copy[head as number] = updateIn(copy[head as number], rest, fn);
    return copy;
  }
  if (node === null || typeof node !== 'object') throw new Error(`patch path ${path.join('.')} goes through a non-object`);
  const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  const next = updateIn(copy[head], rest, fn);
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy;
}

function asArray(value: unknown, path: Path): unknown[] {
  if (!Array.isArray(value)) throw new Error(`patch path ${path.join('.')} is not an array`);
  return value.slice();
}

export function applyOp(doc: EditorDoc, op: Op): EditorDoc {
  switch (op.kind) {
    case 'set':
      return updateIn(doc, op.path, () => op.after) as EditorDoc;
    case 'insert':
      return updateIn(doc, op.path, (old) => {
        const list = asArray(old, op.path);
        list.splice(op.index, 0, op.value);
        return list;
      }) as EditorDoc;
    case 'remove':
      return updateIn(doc, op.path, (old) => {
        const list = asArray(old, op.path);
        list.splice(op.index, 1);
        return list;
      }) as EditorDoc;
    case 'move':
      return updateIn(doc, op.path, (old) => {
        const list = asArray(old, op.path);
        const [item] = list.splice(op.from, 1);
        list.splice(op.to, 0, item);
        return list;
      }) as EditorDoc;
  }
}

export function invertOp(op: Op): Op {
  switch (op.kind) {
    case 'set':
      return { kind: 'set', path: op.path, before: op.after, after: op.before };
    case 'insert':
      return { kind: 'remove', path: op.path, index: op.index, value: op.value };
    case 'remove':
      return { kind: 'insert', path: op.path, index: op.index, value: op.value };
    case 'move':
      return { kind: 'move', path: op.path, from: op.to, to: op.from };
  }
}

export function applyChange(doc: EditorDoc, change: Change): EditorDoc {
  return change.ops.reduce(applyOp, doc);
}

export function invertChange(change: Change): Change {
  return { label: change.label, ops: change.ops.map(invertOp).reverse() };
}

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * One change that does what `first` then `second` did. Sets of the same path
 * keep the first `before` and the last `after`, so a 200-event drag stays a
 * handful of ops; structural ops are appended in order.
 */
export function mergeChanges(first: Change, second: Change): Change {
  const ops = first.ops.slice();
  for (const op of second.ops) {
    if (op.kind === 'set') {
      const at = ops.findIndex((o) => o.kind === 'set' && samePath(o.path, op.path));
      // Only fold into an earlier set when no structural op came after it (indices could have shifted).
      if (at >= 0 && ops.slice(at + 1).every((o) => o.kind === 'set')) {
        const prev = ops[at] as Extract<Op, { kind: 'set' }>;
        ops[at] = { kind: 'set', path: op.path, before: prev.before, after: op.after };
        continue;
      }
    }
    ops.push(op);
  }
  return { label: first.label, ops, ...(first.gesture !== undefined ? { gesture: first.gesture } : {}) };
}

/** True when a change does nothing (every set writes what was there). */
export function isNoop(change: Change): boolean {
  return change.ops.every((op) => op.kind === 'set' && JSON.stringify(op.before) === JSON.stringify(op.after));
}
