import fc from 'fast-check';

/**
 * A fast-check arbitrary for the values a JSON Schema describes (the subset the
 * server's OpenAPI document uses: type and type lists, enum, const, anyOf/oneOf,
 * properties/required, items, min/max, pattern, $ref to `#/components/...` or a
 * nearer `$defs`). Values mostly obey the schema, so they reach the checks
 * behind the validator; `pools` mixes interesting values in by property name
 * (an existing template id, an uploaded file's URL) so that some of them are
 * accepted. Strings never contain "http" or "//": nothing generated here can
 * name a network address.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;

const safeString = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
  ).filter((s) => !/http|\/\//i.test(s));

export function schemaArbitrary(schema: Schema, root: Schema, pools: Record<string, fc.Arbitrary<Json>> = {}): fc.Arbitrary<Json> {
  const build = (s: Schema, defs: Schema, depth: number, name: string): fc.Arbitrary<Json> => {
    const pool = pools[name];
    const inner = buildInner(s, defs, depth);
    return pool ? fc.oneof({ weight: 2, arbitrary: pool }, { weight: 1, arbitrary: inner }) : inner;
  };
  const buildInner = (s: Schema, defsIn: Schema, depth: number): fc.Arbitrary<Json> => {
    const defs = '$defs' in s ? s : defsIn;
    if (typeof s['$ref'] === 'string') return build(resolve(s['$ref'], root, defs), defs, depth, '');
    if (Array.isArray(s['enum'])) return fc.constantFrom(...(s['enum'] as Json[]));
    if ('const' in s) return fc.constant(s['const'] as Json);
    const alternatives = (s['anyOf'] ?? s['oneOf']) as Schema[] | undefined;
    if (alternatives) return fc.oneof(...alternatives.map((a) => build({ ...s, anyOf: undefined, oneOf: undefined, ...a }, defs, depth, '')));
    const type = s['type'];
    if (Array.isArray(type)) return fc.oneof(...type.map((t) => buildInner({ ...s, type: t }, defs, depth)));
    const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
    switch (type ?? (s['properties'] ? 'object' : s['items'] ? 'array' : undefined)) {
      case 'object': {
        const props = (s['properties'] ?? {}) as Record<string, Schema>;
        const required = ((s['required'] ?? []) as string[]).filter((k) => k in props);
        // Past a depth only required keys are drawn, so recursive documents stay small.
        const keys = Object.keys(props).filter((k) => depth < 8 || required.includes(k));
        const shape: Record<string, fc.Arbitrary<Json>> = {};
        for (const k of keys) shape[k] = build(props[k] as Schema, defs, depth + 1, k);
        return fc.record(shape, { requiredKeys: required }) as fc.Arbitrary<Json>;
      }
      case 'array': {
        const items = (s['items'] ?? {}) as Schema;
        const min = num('minItems') ?? 0;
        return fc.array(build(items, defs, depth + 1, ''), { minLength: min, maxLength: Math.max(min, Math.min(num('maxItems') ?? 3, depth > 4 ? 1 : 3)) });
      }
      case 'string': {
        const min = num('minLength') ?? 0;
        const max = Math.max(min, Math.min(num('maxLength') ?? 24, 24));
        if (typeof s['pattern'] === 'string') return fc.stringMatching(new RegExp(s['pattern'])).filter((v) => v.length <= (num('maxLength') ?? 1e9) && v.length >= min);
        return safeString(min, max);
      }
      case 'integer':
        return fc.integer({ min: Math.max(num('minimum') ?? -1e6, -1e9), max: Math.min(num('maximum') ?? 1e6, 1e9) });
      case 'number':
        return fc.double({ min: num('minimum') ?? -1e6, max: num('maximum') ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        // No type: any small JSON value.
        return fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), safeString(0, 12));
    }
  };
  return build(schema, root, 0, '');
}

function resolve(ref: string, root: Schema, defs: Schema): Schema {
  const walk = (from: Schema) => ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], from) as Schema | undefined;
  const found = walk(defs) ?? walk(root);
  if (!found) throw new Error(`unresolved $ref ${ref}`);
  return found;
}

/** The request body schema of an operation in an OpenAPI document, or null when it has none. */
export function requestSchema(doc: Schema, path: string, method: string): Schema | null {
  const op = ((doc['paths'] as Record<string, Record<string, Schema>>)[path] ?? {})[method] as Schema | undefined;
  const content = (op?.['requestBody'] as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
  return content?.['application/json']?.schema ?? null;
}
