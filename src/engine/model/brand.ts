import { Type, type Static } from '@sinclair/typebox';
import { AssetSource, HexColor } from './refs.js';

export const BRAND_SCHEMA_VERSION = 1;

/** A logo in two variants: one drawn for light grounds (dark ink), one for dark grounds (light ink). */
export const LogoVariants = Type.Object(
  {
    on_light: AssetSource,
    on_dark: AssetSource,
  },
  { additionalProperties: false, description: 'on_light: the version drawn over light backgrounds; on_dark: over dark backgrounds.' },
);
export type LogoVariants = Static<typeof LogoVariants>;

export const BrandFont = Type.Object(
  {
    family: Type.String({ minLength: 1, maxLength: 120, description: 'A bundled family name or one of this brand\'s font files.' }),
    weight: Type.Optional(Type.Integer({ minimum: 100, maximum: 900, multipleOf: 100, description: 'Weight used where the template does not say.' })),
  },
  { additionalProperties: false },
);
export type BrandFont = Static<typeof BrandFont>;

export const FontFile = Type.Object(
  {
    family: Type.String({ minLength: 1, maxLength: 120 }),
    weight: Type.Integer({ minimum: 100, maximum: 900, multipleOf: 100 }),
    style: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('italic')], { default: 'normal' })),
    src: AssetSource,
  },
  { additionalProperties: false, description: 'A font file (TTF, OTF, WOFF or WOFF2) the brand owns.' },
);
export type FontFile = Static<typeof FontFile>;

export const BrandDocument = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schema_version: Type.Literal(BRAND_SCHEMA_VERSION),
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    created_at: Type.Optional(Type.String({ format: 'date-time' })),
    colors: Type.Object(
      {
        primary: HexColor,
        secondary: HexColor,
        accent: HexColor,
        text: HexColor,
        background: HexColor,
      },
      { additionalProperties: false },
    ),
    fonts: Type.Object(
      {
        heading: BrandFont,
        body: BrandFont,
        files: Type.Optional(Type.Array(FontFile, { maxItems: 32 })),
      },
      { additionalProperties: false },
    ),
    logos: Type.Object(
      {
        primary: LogoVariants,
        icon: LogoVariants,
        secondary: Type.Optional(LogoVariants),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'https://adsmith.dev/schema/brand-v1.json', title: 'Adsmith brand' },
);
export type BrandDocument = Static<typeof BrandDocument>;
