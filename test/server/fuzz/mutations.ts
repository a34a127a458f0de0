import fc from 'fast-check';
import type { Json } from './schema-arbitrary.js';

/**
 * Mutations of valid request bodies, the way a buggy or hostile client sends
 * them: fields dropped, duplicated or retyped, nulls, huge and non-finite
 * numbers, deep nesting, odd unicode, `__proto__` and `constructor` keys, then
 * serialised as JSON or as something that is almost JSON (truncated, duplicate
 * keys, a byte-order mark, trailing garbage, 100,000 levels of brackets) under a
 * right or wrong content type. Every value is a JSON value or raw text; none
 * names a network address other than those the caller puts in its bases.
 */
export interface RawBody {
  payload: string | Buffer;
  /** undefined: no content-type header at all. */
  contentType: string | undefined;
  /** What was done, for the failure report. */
  label: string;
}

/** Placeholder strings replaced by raw number text after JSON.stringify (numbers JSON can carry but JS cannot: 1e400). */
const RAW = '\u0000raw:';
const rawNumber = (text: string): string => `${RAW}${text}`;

const nested = (depth: number, leaf: Json): Json => {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** Values that break assumptions: wrong types, extremes, odd unicode, paths, markup. */
export const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null, true, false, 0, -1, 1.5, -0.000001, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER,
    rawNumber('1e400'), rawNumber('-1e400'), rawNumber('123456789012345678901234567890'), rawNumber('1.0e-400'),
    '', ' ', '\u0000', '\ud800', '\udfff\ud800', '\u202eevil', '\u200b\u200d\ufeff', 'e\u0301'.repeat(200), '🙂👩‍👩‍👧‍👦🏳️‍🌈'.repeat(30),
    'مرحبا بالعالم', '你好，世界', '𝕳𝖊𝖑𝖑𝖔', 'a'.repeat(3000), 'x\ny\r\n\tz', '../../../../etc/passwd', '/etc/passwd', 'file:///etc/passwd',
    'C:\\Windows\\win.ini', '%2e%2e%2f', '${jndi:x}', '{{7*7}}', "' OR 1=1 --", '<script>alert(1)</script>', '<svg xmlns="x"><image href="/etc/hosts"/></svg>',
    'data:image/png;base64,AAAA', 'data:,', 'asset:logo.svg', 'brand.primary', '#zzzzzz', 'NaN', 'Infinity', '-0', '1e400', '__proto__', 'constructor',
    [], [null], [[]], {}, { '': null }, { __proto__x: 1 },
  ),
  fc.constantFrom(1, 5, 40, 300).map((d) => nested(d, 'deep')),
  fc.string({ maxLength: 40 }).filter((s) => !/http|\/\//i.test(s)),
  fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !/http|\/\//i.test(s)),
  fc.integer(),
  fc.double(),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.constantFrom<Json>(1, 'x', null), { maxKeys: 5 }),
);

type Path = Array<string | number>;

function containers(v: Json, path: Path = [], out: Path[] = []): Path[] {
  if (v && typeof v === 'object') {
    out.push(path);
    if (Array.isArray(v)) v.forEach((c, i) => containers(c, [...path, i], out));
    else for (const [k, c] of Object.entries(v)) containers(c, [...path, k], out);
  }
  return out;
}

const at = (v: Json, path: Path): Json => path.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k] as Json, v);

type Op = { kind: 'drop' | 'retype' | 'null' | 'add' | 'proto' | 'constructor' | 'duplicate' | 'empty'; pick: number; value: Json };

/** Applies one structural mutation to a (cloned) value in place; returns the new root. */
function applyOp(root: Json, op: Op): Json {
  const spots = containers(root);
  if (!spots.length) return structuredClone(op.value);
  const spot = spots[op.pick % spots.length] as Path;
  const node = at(root, spot) as Record<string, Json> | Json[];
  const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  const key = keys.length ? keys[op.pick % keys.length] : undefined;
  const set = (k: string | number, v: Json) => ((node as Record<string | number, Json>)[k] = v);
  // Weird values are shared constants: every use gets its own copy.
  const value = structuredClone(op.value);
  switch (op.kind) {
    case 'drop':
      if (key === undefined) break;
      if (Array.isArray(node)) node.splice(key as number, 1);
      else delete (node as Record<string, Json>)[key as string];
      break;
    case 'retype':
      if (key !== undefined) set(key, value);
      break;
    case 'null':
      if (key !== undefined) set(key, null);
      break;
    case 'add':
      if (Array.isArray(node)) node.push(value);
      else set(`x_${op.pick % 7}`, value);
      break;
    case 'proto':
      // An own "__proto__" key, as JSON.parse makes it: it must be serialised, not set the prototype.
      if (!Array.isArray(node)) Object.defineProperty(node, '__proto__', { value, enumerable: true, configurable: true, writable: true });
      break;
    case 'constructor':
      if (!Array.isArray(node)) set('constructor', { prototype: { polluted: value } });
      break;
    case 'duplicate':
      if (key !== undefined && Array.isArray(node)) node.push(structuredClone(node[key as number]) as Json);
      break;
    case 'empty':
      if (key !== undefined) set(key, Array.isArray(at(root, [...spot, key])) ? [] : {});
      break;
  }
  return root;
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('drop', 'retype', 'retype', 'null', 'add', 'proto', 'constructor', 'duplicate', 'empty'),
  pick: fc.nat(),
  value: weirdValue,
});

type Encoding = 'json' | 'truncated' | 'dupkey' | 'bom' | 'trailing' | 'deep' | 'pretty' | 'oversize' | 'empty';

function serialise(value: Json): string {
  return (JSON.stringify(value) ?? 'null').replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

function encode(value: Json, enc: Encoding, cut: number): string {
  const text = serialise(value);
  switch (enc) {
    case 'json':
      return text;
    case 'pretty':
      return JSON.stringify(value, null, 2).replace(/"\\u0000raw:([^"]*)"/g, '$1');
    case 'truncated':
      return text.slice(0, cut % Math.max(1, text.length));
    case 'dupkey': {
      // The first key written twice, the copy holding another type.
      const m = /^\{"((?:[^"\\]|\\.)*)":/.exec(text);
      return m ? `{"${m[1]}":[1,{"a":null}],${text.slice(1)}` : text;
    }
    case 'bom':
      return `\ufeff${text}`;
    case 'trailing':
      return `${text} }{"x":1}`;
    case 'deep': {
      const depth = [1_000, 20_000, 100_000][cut % 3] as number;
      return `{"template_id":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    }
    case 'oversize':
      // Just over the default 1 MiB body limit.
      return text.replace(/^\{/, `{"pad":"${'p'.repeat(1024 * 1024 + 16)}",`);
    case 'empty':
      return '';
  }
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/octet-stream', '*/*', 'image/png', ''];

/**
 * Raw bodies made from valid `bases`: zero to three structural mutations, then an
 * encoding and a content type (mostly JSON, sometimes wrong or missing).
 */
export function mutatedBody(bases: fc.Arbitrary<Json>): fc.Arbitrary<RawBody> {
  return fc
    .record({
      base: bases,
      ops: fc.oneof({ weight: 1, arbitrary: fc.constant([] as Op[]) }, { weight: 3, arbitrary: fc.array(op, { minLength: 1, maxLength: 3 }) }),
      enc: fc.oneof(
        { weight: 20, arbitrary: fc.constant<Encoding>('json') },
        { weight: 1, arbitrary: fc.constantFrom<Encoding>('truncated', 'dupkey', 'bom', 'trailing', 'deep', 'pretty', 'empty') },
      ),
      oversize: fc.integer({ min: 0, max: 400 }),
      cut: fc.nat(),
      type: fc.oneof({ weight: 12, arbitrary: fc.constantFrom<string | undefined>(...JSON_TYPES) }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...WRONG_TYPES, undefined) }),
    })
    .map(({ base, ops, enc, oversize, cut, type }) => {
      let value = structuredClone(base);
      for (const o of ops) value = applyOp(value, o);
      // One body in 400 is over the size limit (they cost a megabyte each).
      const encoding: Encoding = oversize === 0 ? 'oversize' : enc;
      return { payload: encode(value, encoding, cut), contentType: type, label: `${ops.map((o) => o.kind).join('+') || 'valid'} as ${encoding} (${type ?? 'no content-type'})` };
    });
}

/** A JSON value (schema-derived) sent as JSON. */
export function asJson(values: fc.Arbitrary<Json>, label: string): fc.Arbitrary<RawBody> {
  return values.map((v) => ({ payload: serialise(v), contentType: 'application/json', label }));
}
