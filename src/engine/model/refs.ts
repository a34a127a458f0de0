import { Type, type SchemaOptions, type Static, type TSchema, type TUnion } from '@sinclair/typebox';

/** Colour roles a brand fills; a template may name any of them instead of a value. */
export const BRAND_COLOR_ROLES = ['primary', 'secondary', 'accent', 'text', 'background'] as const;
export type BrandColorRole = (typeof BRAND_COLOR_ROLES)[number];

/** Font roles a brand fills. */
export const BRAND_FONT_ROLES = ['heading_font', 'body_font'] as const;
export type BrandFontRole = (typeof BRAND_FONT_ROLES)[number];

const HEX = '#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})';
const COLOR_ROLE = `brand\\.(?:${BRAND_COLOR_ROLES.join('|')})`;

/** A literal hex colour (#RGB, #RGBA, #RRGGBB, #RRGGBBAA). */
export const HexColor = Type.String({ pattern: `^${HEX}$`, description: 'Hex colour: #RGB, #RGBA, #RRGGBB or #RRGGBBAA.' });

/**
 * A colour as a template writes it: a hex value, a brand role (`brand.primary`),
 * or a role with an alpha suffix (`brand.primary/0.4`) for tints over photos.
 */
export const ColorRef = Type.String({
  pattern: `^(?:${HEX}|${COLOR_ROLE}(?:/(?:0(?:\\.\\d+)?|1(?:\\.0+)?))?|transparent)$`,
  description: 'A hex colour, "transparent", or a brand role such as "brand.primary" (optionally "brand.primary/0.5" for 50 % alpha).',
  examples: ['#1A1A2E', 'brand.accent', 'brand.text/0.6'],
});
export type ColorRef = Static<typeof ColorRef>;

/** A font family as a template writes it: a family name or a brand role. */
export const FontRef = Type.String({
  minLength: 1,
  maxLength: 120,
  description: 'A font family name known to the font library, or "brand.heading_font" / "brand.body_font".',
  examples: ['Inter', 'brand.heading_font'],
});
export type FontRef = Static<typeof FontRef>;

/**
 * Where an image or font file comes from: `http(s)://` URL, `data:` URI,
 * `asset:` path inside Adsmith's bundled assets, or `file:` path (CLI only).
 */
export const AssetSource = Type.String({
  minLength: 1,
  maxLength: 4_000_000,
  description: 'An http(s) URL, a data: URI, an asset: path of a bundled asset, or (CLI only) a file path.',
});
export type AssetSource = Static<typeof AssetSource>;

export function isBrandColorRef(ref: string): boolean {
  return ref.startsWith('brand.');
}

/**
 * A union told apart by one property (`layer_type`, `type`). Emitted as
 * `oneOf` + `discriminator` so validators report the branch's own error
 * ("$.scenes[0].elements[2].style.color …") instead of every branch's.
 */
export function TaggedUnion<T extends TSchema[]>(schemas: [...T], propertyName: string, options: SchemaOptions = {}) {
  // type: object first, so that null or a string is "must be object" at its path, not a member's rule (or a TypeError later).
  return Type.Unsafe<Static<TUnion<T>>>({ ...options, type: 'object', oneOf: schemas, discriminator: { propertyName } });
}
