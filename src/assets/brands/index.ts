import { fileURLToPath } from 'node:url';

/** The brands that ship with Adsmith, as their document ids. */
export const PUBLIC_BRAND_IDS = ['167', '166', '122', '121', '120'] as const;
export type PublicBrandId = (typeof PUBLIC_BRAND_IDS)[number];

/** Absolute path of a public brand's brand.json. */
export function publicBrandPath(id: PublicBrandId): string {
  return fileURLToPath(new URL(`./${id}/brand.json`, import.meta.url));
}
