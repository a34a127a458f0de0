import { AdsmithError } from '../../errors/catalogue.js';
import { BRAND_SCHEMA_VERSION } from './brand.js';
import { TEMPLATE_SCHEMA_VERSION } from './template.js';

/**
 * Saved documents carry `schema_version`; each migration lifts a document one
 * version. `restore`-style: old files keep loading forever, and each step has a
 * fixture test (test/engine/migrate.test.ts).
 */
type Json = Record<string, unknown>;
type Migration = (doc: Json) => Json;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 0 is the pre-release draft format: documents had no `schema_version`,
 * scenes a `resolution: {width, height}`, text a single `font_size` number with
 * an optional `min_font_size`, and templates a `brand_mode` string.
 */
const templateMigrations: Record<number, Migration> = {
  0: (doc) => {
    const scenes = Array.isArray(doc['scenes']) ? doc['scenes'] : [];
    const { brand_mode: brandMode, ...rest } = doc;
    return {
      ...rest,
      requires_brand: doc['requires_brand'] ?? brandMode === 'branded',
      scenes: scenes.map((scene: unknown) => {
        if (!isObject(scene)) return scene;
        const { resolution, ...sceneRest } = scene;
        const res = isObject(resolution) ? resolution : {};
        const elements = Array.isArray(scene['elements']) ? scene['elements'] : [];
        return {
          width: res['width'],
          height: res['height'],
          ...sceneRest,
          elements: elements.map((el: unknown) => {
            if (!isObject(el) || el['layer_type'] !== 'text' || !isObject(el['style'])) return el;
            const { font_size: size, min_font_size: minSize, ...style } = el['style'];
            if (typeof size !== 'number') return el;
            return { ...el, style: { ...style, font_size: { max: size, min: typeof minSize === 'number' ? minSize : size } } };
          }),
        };
      }),
      schema_version: 1,
    };
  },
};

const brandMigrations: Record<number, Migration> = {
  /** Version 0 brands named the palette `palette` and had a single `logo` pair. */
  0: (doc) => {
    const { palette, logo, ...rest } = doc;
    const logos = isObject(doc['logos']) ? doc['logos'] : isObject(logo) ? { primary: logo, icon: logo } : doc['logos'];
    return { ...rest, colors: doc['colors'] ?? palette, logos, schema_version: 1 };
  },
};

function migrate(kind: 'template' | 'brand', raw: unknown, current: number, steps: Record<number, Migration>): unknown {
  if (!isObject(raw)) return raw; // the validator reports "must be object"
  let doc = raw;
  const version = doc['schema_version'] ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || version > current) {
    throw new AdsmithError('ADS_DOCUMENT_VERSION_UNSUPPORTED', {
      kind,
      version: JSON.stringify(version),
      supported: Array.from({ length: current + 1 }, (_, i) => i).join(', '),
    });
  }
  for (let v = version; v < current; v++) {
    const step = steps[v];
    if (!step) throw new Error(`missing ${kind} migration from version ${v}`);
    doc = step(doc);
  }
  return doc;
}

export function migrateTemplate(raw: unknown): unknown {
  return migrate('template', raw, TEMPLATE_SCHEMA_VERSION, templateMigrations);
}

export function migrateBrand(raw: unknown): unknown {
  return migrate('brand', raw, BRAND_SCHEMA_VERSION, brandMigrations);
}
