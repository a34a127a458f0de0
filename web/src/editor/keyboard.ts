/**
 * Editor shortcuts: arrows nudge 1 px (10 with shift), Delete/Backspace
 * remove, Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z (or Ctrl+Y) redo, Ctrl/Cmd+D
 * duplicate, Ctrl/Cmd+S save, Enter edits the selected text, Escape
 * deselects. Keys typed into a field stay that field's.
 */
import { isLocked } from './model/commands.js';
import type { CanvasStore } from './canvas-store.js';

function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

export function handleKey(store: CanvasStore, e: KeyboardEvent): void {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key;
  if (inField(e.target)) {
    if (mod && (key === 's' || key === 'S')) {
      e.preventDefault();
      void store.save();
    }
    return;
  }
  if (mod && (key === 'z' || key === 'Z')) {
    e.preventDefault();
    if (e.shiftKey) store.redo();
    else store.undo();
    return;
  }
  if (mod && (key === 'y' || key === 'Y')) {
    e.preventDefault();
    store.redo();
    return;
  }
  if (mod && (key === 'd' || key === 'D')) {
    e.preventDefault();
    store.duplicateSelection();
    return;
  }
  if (mod && (key === 's' || key === 'S')) {
    e.preventDefault();
    void store.save();
    return;
  }
  if (mod || e.altKey) return;
  const hasSelection = store.selection.value.length > 0;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'ArrowUp':
    case 'ArrowDown':
      if (!hasSelection) return;
      e.preventDefault();
      store.nudge(key, e.shiftKey);
      return;
    case 'Delete':
    case 'Backspace':
      if (!hasSelection) return;
      e.preventDefault();
      store.deleteSelection();
      return;
    case 'Escape':
      if (!hasSelection && !store.editingText.value) return;
      e.preventDefault();
      store.deselect();
      return;
    case 'Enter': {
      const [only] = store.selected.value;
      if (store.selected.value.length !== 1 || only?.layer_type !== 'text' || isLocked(store.doc.value, only.id)) return;
      // Enter on a focused button keeps its own meaning.
      if ((e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      store.editingText.value = only.id;
      return;
    }
  }
}
