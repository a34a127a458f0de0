import { computed } from '@preact/signals';
import { brands, contracts, templates } from './catalog.js';
import { backgroundColor, backgroundPrompt, brandId, photo, photoMode, templateId, texts } from './form.js';
import type { FormValues } from './request.js';
import { hasSmartImage, photoSlot, textSlots, type TextSlot } from './slots.js';

/** The chosen template's summary (from the list). */
export const chosenTemplate = computed(() => templates.value?.find((t) => String(t.id) === templateId.value) ?? null);

/** Brands that work with the chosen template: public templates take public brands, private ones private brands. */
export const compatibleBrands = computed(() => {
  const t = chosenTemplate.value;
  const list = brands.value;
  if (!list || !t) return list;
  return list.filter((b) => (b.public ?? false) === (t.public ?? false));
});

/** The chosen template's text slots, once its contract view is read (null until then). */
export const slots = computed<TextSlot[] | null>(() => {
  const c = templateId.value ? contracts.value[templateId.value] : undefined;
  return c ? textSlots(c) : null;
});

/** The form as plain values, null until a template is chosen and read. */
export const formValues = computed<FormValues | null>(() => {
  const id = templateId.value;
  const contract = id ? contracts.value[id] : undefined;
  const t = chosenTemplate.value;
  if (!id || !contract || !t) return null;
  return {
    templateId: id,
    brandId: brandId.value,
    requiresBrand: t.requires_brand !== false,
    slots: textSlots(contract),
    texts: texts.value,
    hasPhoto: photo.value !== null,
    mode: photoMode.value,
    color: backgroundColor.value,
    prompt: backgroundPrompt.value,
    photoSlot: photoSlot(contract),
    smartImage: hasSmartImage(contract),
  };
});
