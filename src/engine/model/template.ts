import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AssetSource, ColorRef, FontRef, TaggedUnion } from './refs.js';

/** The document version this build writes; older documents are migrated on load (see migrate.ts). */
export const TEMPLATE_SCHEMA_VERSION = 1;

export const LAYER_TYPES = ['text', 'image', 'smartImage', 'logo', 'shape'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

/**
 * Content-type slots. A generate request that names a slot fills every element
 * with that slot in every scene. Which slots a layer type may carry is in
 * `SLOT_PREFIX_BY_LAYER`.
 */
export const CONTENT_TYPE_PATTERN = '^(?:(?:Heading|Body|Image) #[1-5]|smartImage|Logo #[1-9][0-9]?|Basic Shape #[1-9][0-9]?)$';
export const SLOT_PREFIX_BY_LAYER: Record<LayerType, readonly string[]> = {
  text: ['Heading #', 'Body #'],
  image: ['Image #'],
  smartImage: ['smartImage'],
  logo: ['Logo #'],
  shape: ['Basic Shape #'],
};

const nonNegative = (description: string, extra: object = {}) => Type.Number({ minimum: 0, description, ...extra });

export const Box = Type.Object(
  {
    x: Type.Number({ description: 'Left edge in scene pixels.' }),
    y: Type.Number({ description: 'Top edge in scene pixels.' }),
    width: Type.Number({ exclusiveMinimum: 0, description: 'Width in scene pixels.' }),
    height: Type.Number({ exclusiveMinimum: 0, description: 'Height in scene pixels.' }),
    rotation: Type.Optional(Type.Number({ minimum: -360, maximum: 360, description: 'Clockwise rotation in degrees around the box centre.' })),
    opacity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Opacity from 0 to 1.' })),
  },
  { additionalProperties: false },
);
export type Box = Static<typeof Box>;

export const FocalPoint = Type.Object(
  {
    x: Type.Number({ minimum: 0, maximum: 1 }),
    y: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false, description: 'The point of the image kept in view when cropping, as fractions of its width and height.' },
);
export type FocalPoint = Static<typeof FocalPoint>;

/** A BCP 47 language tag; for text it picks the CJK glyph forms (ja, ko, zh-Hant / zh-TW / zh-HK, zh / zh-Hans). */
export const Locale = Type.String({
  minLength: 2,
  maxLength: 35,
  pattern: '^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$',
  description:
    'The language of the text as a BCP 47 tag (ja, ko, zh-Hans, zh-Hant, zh-TW, en…). It picks the glyph forms of Han characters: Japanese for ja, Korean for ko, Traditional Chinese for zh-Hant, zh-TW, zh-HK and zh-MO, Simplified Chinese otherwise.',
});

export const TextStyle = Type.Object(
  {
    font_family: FontRef,
    font_weight: Type.Optional(Type.Integer({ minimum: 100, maximum: 900, multipleOf: 100, default: 400 })),
    font_style: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('italic')], { default: 'normal' })),
    font_size: Type.Object(
      {
        max: Type.Number({ exclusiveMinimum: 0, maximum: 2000, description: 'Largest size in px; used when the text fits.' }),
        min: Type.Number({ exclusiveMinimum: 0, maximum: 2000, description: 'Smallest size in px the text may shrink to before it is ellipsized.' }),
      },
      { additionalProperties: false },
    ),
    line_height: Type.Optional(Type.Number({ minimum: 0.7, maximum: 4, default: 1.2, description: 'Line height as a multiple of the font size.' })),
    letter_spacing: Type.Optional(Type.Number({ minimum: -0.2, maximum: 2, default: 0, description: 'Extra space between letters, in em.' })),
    align: Type.Optional(
      Type.Union([Type.Literal('left'), Type.Literal('center'), Type.Literal('right'), Type.Literal('start'), Type.Literal('end')], { default: 'start' }),
    ),
    vertical_align: Type.Optional(Type.Union([Type.Literal('top'), Type.Literal('middle'), Type.Literal('bottom')], { default: 'top' })),
    text_transform: Type.Optional(
      Type.Union([Type.Literal('none'), Type.Literal('uppercase'), Type.Literal('lowercase'), Type.Literal('capitalize')], { default: 'none' }),
    ),
    max_lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Lines past this are cut and the last one ends with an ellipsis.' })),
    color: ColorRef,
    direction: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('ltr'), Type.Literal('rtl')], {
        default: 'auto',
        description: 'auto: right-to-left when the text starts with a strong RTL letter (Arabic, Hebrew).',
      }),
    ),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);
export type TextStyle = Static<typeof TextStyle>;

const imageStyleProperties = {
  fit: Type.Optional(Type.Union([Type.Literal('cover'), Type.Literal('contain')], { default: 'cover' })),
  focal: Type.Optional(FocalPoint),
  corner_radius: Type.Optional(nonNegative('Corner radius in px.')),
  background: Type.Optional(ColorRef),
};
export const ImageStyle = Type.Object(imageStyleProperties, { additionalProperties: false });
export type ImageStyle = Static<typeof ImageStyle>;

export const Placement = Type.Object(
  {
    anchor: Type.Optional(
      Type.Union(
        ['center', 'top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right'].map((a) => Type.Literal(a)),
        { default: 'bottom' },
      ),
    ),
    padding: Type.Optional(Type.Number({ minimum: 0, maximum: 0.45, default: 0.06, description: 'Space kept around the subject, as a fraction of the frame.' })),
    scale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 1, description: 'Subject size relative to the largest that fits.' })),
    allow_crop: Type.Optional(Type.Boolean({ default: false, description: 'Let the subject be cropped by the frame (never by default).' })),
  },
  { additionalProperties: false },
);
export type Placement = Static<typeof Placement>;

/**
 * The region a smart image is composed into, when the request brings one: the hex colour or the generated
 * backdrop fills this shape, the cut-out subject stands on it (placed in the element's own box by `placement`),
 * and the template around it stays visible. Without it the frame is the element's box, a rectangle.
 */
export const SmartFrame = Type.Object(
  {
    shape: Type.Union([Type.Literal('rect'), Type.Literal('rounded'), Type.Literal('circle'), Type.Literal('full-bleed')], {
      default: 'rect',
      description: 'rect and rounded fill the region; circle fills the ellipse inscribed in it; full-bleed fills the whole scene, under every element.',
    }),
    radius: Type.Optional(nonNegative('Corner radius in px for rounded.')),
    element: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Id of an image or shape element of the same scene (the photo region): the frame takes its box and its place in the paint order, and is drawn instead of it when a smart image is requested. Without it the region is this element\'s box.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SmartFrame = Static<typeof SmartFrame>;

export const LogoStyle = Type.Object(
  {
    logo: Type.Optional(Type.Union([Type.Literal('primary'), Type.Literal('secondary'), Type.Literal('icon')], { default: 'primary' })),
    variant: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('on_light'), Type.Literal('on_dark')], {
        default: 'auto',
        description: 'auto picks the variant that contrasts with what lies under the logo.',
      }),
    ),
    align: Type.Optional(Type.Union([Type.Literal('left'), Type.Literal('center'), Type.Literal('right')], { default: 'center' })),
    vertical_align: Type.Optional(Type.Union([Type.Literal('top'), Type.Literal('middle'), Type.Literal('bottom')], { default: 'middle' })),
  },
  { additionalProperties: false },
);
export type LogoStyle = Static<typeof LogoStyle>;

export const Stroke = Type.Object({ color: ColorRef, width: Type.Number({ exclusiveMinimum: 0, maximum: 200 }) }, { additionalProperties: false });

export const ShapeStyle = Type.Object(
  {
    shape: Type.Union([Type.Literal('rect'), Type.Literal('ellipse'), Type.Literal('line')], { default: 'rect' }),
    fill: Type.Optional(ColorRef),
    stroke: Type.Optional(Stroke),
    corner_radius: Type.Optional(nonNegative('Corner radius in px; half the height makes a pill.')),
  },
  { additionalProperties: false },
);
export type ShapeStyle = Static<typeof ShapeStyle>;

function element<L extends LayerType, S extends TSchema>(layerType: L, style: S, contentDescription: string) {
  return Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: 'Unique within the template.' }),
      name: Type.Optional(Type.String({ maxLength: 120, description: 'Human label shown in the editor.' })),
      layer_type: Type.Literal(layerType),
      content_type: Type.Union([Type.String({ pattern: CONTENT_TYPE_PATTERN }), Type.Null()]),
      content: Type.String({ maxLength: 4_000_000, description: contentDescription }),
      box: Box,
      order: Type.Optional(Type.Integer({ description: 'Paint order; higher is drawn later (on top). Ties keep document order.' })),
      locked: Type.Optional(
        Type.Boolean({ description: 'Editor only: true keeps the element from being picked or moved on the canvas (unlock it in Layers). Drawing ignores it.' }),
      ),
      style,
    },
    { additionalProperties: false },
  );
}

export const TextElement = element('text', TextStyle, 'Default text.');
export const ImageElement = element('image', ImageStyle, 'Default image source (URL, data: URI or asset: path); "" leaves the frame empty.');
export const SmartImageElement = element(
  'smartImage',
  Type.Object({ ...imageStyleProperties, placement: Type.Optional(Placement), frame: Type.Optional(SmartFrame) }, { additionalProperties: false }),
  'Default image source used when the request brings no smart image.',
);
export const LogoElement = element('logo', LogoStyle, 'Logo source override; "" uses the brand logo named by style.logo.');
export const ShapeElement = element('shape', ShapeStyle, 'Unused for drawing; kept for contract compatibility.');

export const Element = TaggedUnion([TextElement, ImageElement, SmartImageElement, LogoElement, ShapeElement], 'layer_type');
export type TextElement = Static<typeof TextElement>;
export type ImageElement = Static<typeof ImageElement>;
export type SmartImageElement = Static<typeof SmartImageElement>;
export type LogoElement = Static<typeof LogoElement>;
export type ShapeElement = Static<typeof ShapeElement>;
export type Element = Static<typeof Element>;

export const GradientStop = Type.Object({ offset: Type.Number({ minimum: 0, maximum: 1 }), color: ColorRef }, { additionalProperties: false });

export const Background = TaggedUnion(
  [
    Type.Object({ type: Type.Literal('color'), color: ColorRef }, { additionalProperties: false }),
    Type.Object(
      {
        type: Type.Literal('linear_gradient'),
        angle: Type.Number({ minimum: -360, maximum: 360, description: 'CSS angle: 0 points up, 90 to the right.' }),
        stops: Type.Array(GradientStop, { minItems: 2, maxItems: 16 }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('radial_gradient'),
        center: FocalPoint,
        stops: Type.Array(GradientStop, { minItems: 2, maxItems: 16 }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('image'),
        src: AssetSource,
        focal: Type.Optional(FocalPoint),
        overlay: Type.Optional(ColorRef),
      },
      { additionalProperties: false },
    ),
  ],
  'type',
);
export type Background = Static<typeof Background>;

export const Scene = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, description: 'e.g. "Instagram post".' }),
    width: Type.Integer({ minimum: 16, maximum: 8192 }),
    height: Type.Integer({ minimum: 16, maximum: 8192 }),
    background: Background,
    elements: Type.Array(Element, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type Scene = Static<typeof Scene>;

export const TemplateDocument = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schema_version: Type.Literal(TEMPLATE_SCHEMA_VERSION),
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    requires_brand: Type.Boolean({ description: 'true: colours, fonts and logos come from the brand, and generate needs a brand_id.' }),
    created_at: Type.Optional(Type.String({ format: 'date-time' })),
    preview: Type.Optional(Type.String({ description: 'URL of a preview image.' })),
    scenes: Type.Array(Scene, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false, $id: 'https://adsmith.dev/schema/template-v1.json', title: 'Adsmith template' },
);
export type TemplateDocument = Static<typeof TemplateDocument>;
