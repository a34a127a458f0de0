import { applyChange, invertChange, isNoop, mergeChanges } from './patch.js';
import type { Change, EditorDoc } from './types.js';

/**
 * Undo and redo stacks of changes. A change whose gesture id matches the last
 * recorded one merges into it, so one drag or one typing burst is one step.
 */
export class History {
  private undoStack: Change[] = [];
  private redoStack: Change[] = [];
  /** Bumped on every record/undo/redo; the editor compares it with the saved mark to know it is dirty. */
  private version = 0;
  private versions: number[] = [];
  private redoVersions: number[] = [];
  private nextVersion = 1;

  constructor(private readonly limit = 500) {}

  /** Applies `change` to `doc`, records it and answers the new document. */
  record(doc: EditorDoc, change: Change): EditorDoc {
    if (change.ops.length === 0) return doc;
    const next = applyChange(doc, change);
    const last = this.undoStack.at(-1);
    if (last && change.gesture !== undefined && last.gesture === change.gesture && this.redoStack.length === 0) {
      this.undoStack[this.undoStack.length - 1] = mergeChanges(last, change);
      this.version = this.nextVersion++;
      this.versions[this.versions.length - 1] = this.version;
    } else {
      this.undoStack.push(change);
      this.version = this.nextVersion++;
      this.versions.push(this.version);
      if (this.undoStack.length > this.limit) {
        this.undoStack.shift();
        this.versions.shift();
      }
    }
    this.redoStack = [];
    this.redoVersions = [];
    return next;
  }

  /** Ends the current gesture: the next change, even with the same id, starts a new step. */
  seal(): void {
    const last = this.undoStack.at(-1);
    if (last && last.gesture !== undefined) {
      if (isNoop(last)) {
        this.undoStack.pop();
        this.versions.pop();
        this.version = this.versions.at(-1) ?? 0;
        return;
      }
      this.undoStack[this.undoStack.length - 1] = { label: last.label, ops: last.ops };
    }
  }

  undo(doc: EditorDoc): EditorDoc | null {
    this.seal();
    const change = this.undoStack.pop();
    if (!change) return null;
    this.redoVersions.push(this.versions.pop()!);
    this.redoStack.push(change);
    this.version = this.versions.at(-1) ?? 0;
    return applyChange(doc, invertChange(change));
  }

  redo(doc: EditorDoc): EditorDoc | null {
    const change = this.redoStack.pop();
    if (!change) return null;
    this.undoStack.push(change);
    this.version = this.redoVersions.pop()!;
    this.versions.push(this.version);
    return applyChange(doc, change);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Labels of the undo steps, oldest first (for tests and the UI's tooltip). */
  get steps(): string[] {
    return this.undoStack.map((c) => c.label);
  }

  /** Identifies the document state: equal marks mean the same edits are applied. */
  get mark(): number {
    return this.version;
  }
}
