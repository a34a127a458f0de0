import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal built on <dialog>: the browser traps focus, Esc closes it, and focus
 * returns to the control that opened it.
 */
export function Dialog({ open, title, onClose, children, actions, class: className = '' }: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  actions?: ComponentChildren;
  class?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  return (
    <dialog ref={ref} class={`as-dialog ${className}`} aria-label={title} onClose={onClose} onCancel={onClose}>
      <header class="as-dialog__bar">
        <h2 class="as-dialog__title">{title}</h2>
        <div class="as-dialog__actions">
          {actions}
          <button type="button" class="as-icon-button" onClick={onClose} aria-label="Close">
            <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
            </svg>
          </button>
        </div>
      </header>
      <div class="as-dialog__body">{open ? children : null}</div>
    </dialog>
  );
}
