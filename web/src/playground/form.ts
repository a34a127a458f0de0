import { signal } from '@preact/signals';

/** What to do with the product photo: one of the smart-image operations, or place it as it is. */
export type PhotoMode = 'lifestyle_color' | 'lifestyle_prompt' | 'expand_image' | 'none';

/** The form's state: everything the request (and its curl and client code) is made from. */
export const templateId = signal<string | null>(null);
export const brandId = signal<string | null>(null);
/** Text per slot content_type; an empty or missing value keeps the template's text. */
export const texts = signal<Record<string, string>>({});
export const photo = signal<File | null>(null);
export const photoMode = signal<PhotoMode>('lifestyle_color');
export const backgroundColor = signal('#F3E9DC');
export const backgroundPrompt = signal('marble counter, soft morning light');

export function setText(contentType: string, value: string): void {
  texts.value = { ...texts.value, [contentType]: value };
}
