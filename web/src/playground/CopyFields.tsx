import { setText, texts } from './form.js';
import type { TextSlot } from './slots.js';

/** Step 3: one field per text slot the template has; empty keeps the template's own text (shown as the placeholder). */
export function CopyFields({ slots }: { slots: TextSlot[] | null }) {
  return (
    <fieldset class="step">
      <legend class="step__title">
        <span class="step__n" aria-hidden="true">3</span> Copy
      </legend>
      <p class="step__hint">Leave a field empty to keep the template's text. Every size gets the same copy, fitted to its box.</p>
      {slots === null ? (
        <div class="field field--skeleton" aria-busy="true" />
      ) : slots.length === 0 ? (
        <p class="empty">This template has no text slots.</p>
      ) : (
        slots.map((slot) => {
          const id = `slot-${slot.contentType.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
          const value = texts.value[slot.contentType] ?? '';
          const onInput = (e: Event) => setText(slot.contentType, (e.target as HTMLInputElement | HTMLTextAreaElement).value);
          return (
            <div class="field" key={slot.contentType}>
              <label class="field__label" for={id}>
                {slot.label} <span class="field__code mono">{slot.contentType}</span>
              </label>
              {slot.multiline ? (
                <textarea id={id} class="input" rows={2} value={value} placeholder={slot.defaultText} onInput={onInput} />
              ) : (
                <input id={id} class="input" type="text" value={value} placeholder={slot.defaultText} onInput={onInput} />
              )}
            </div>
          );
        })
      )}
    </fieldset>
  );
}
