/**
 * postMessage between the editor and the page that embeds it. Every message is
 * `{ type: 'adsmith:…', …fields }`. Messages from an origin outside
 * `allowed_origins` (from the session; empty = any) are ignored, and messages
 * to the host go only to those origins.
 */

export type HostCommand = { type: 'adsmith:save' } | { type: 'adsmith:undo' } | { type: 'adsmith:redo' } | { type: 'adsmith:select'; element_id: string };

export type EditorEvent =
  | { type: 'adsmith:ready'; scene: number; width: number; height: number }
  | { type: 'adsmith:change'; dirty: boolean }
  | { type: 'adsmith:saved'; scene_id: string; url: string; width: number; height: number; revision: number }
  | { type: 'adsmith:error'; code: string; message: string };

/** True when a message's origin may talk to the editor. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.length === 0 || allowed.includes('*') || allowed.includes(origin);
}

/** A host message, or null for anything else (wrong shape, unknown type). */
export function parseHostMessage(data: unknown): HostCommand | null {
  if (data === null || typeof data !== 'object') return null;
  const type = (data as { type?: unknown }).type;
  switch (type) {
    case 'adsmith:save':
    case 'adsmith:undo':
    case 'adsmith:redo':
      return { type };
    case 'adsmith:select': {
      const id = (data as { element_id?: unknown }).element_id;
      return typeof id === 'string' && id.length > 0 && id.length <= 64 ? { type, element_id: id } : null;
    }
    default:
      return null;
  }
}

export interface HostBridge {
  post(event: EditorEvent): void;
  stop(): void;
}

interface WindowLike {
  parent: { postMessage(message: unknown, targetOrigin: string): void } | null;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
}

/** Connects to the embedding page (nothing is sent when the editor is not in a frame). */
export function connectHost(win: WindowLike & object, allowed: readonly string[], onCommand: (cmd: HostCommand) => void): HostBridge {
  const parent = win.parent && win.parent !== (win as unknown) ? win.parent : null;
  const targets = allowed.length === 0 || allowed.includes('*') ? ['*'] : [...allowed];
  const listener = (e: MessageEvent) => {
    if (!parent || e.source !== (parent as unknown)) return;
    if (!originAllowed(e.origin, allowed)) return;
    const cmd = parseHostMessage(e.data);
    if (cmd) onCommand(cmd);
  };
  win.addEventListener('message', listener);
  return {
    post(event) {
      if (!parent) return;
      for (const origin of targets) parent.postMessage(event, origin);
    },
    stop() {
      win.removeEventListener('message', listener);
    },
  };
}
