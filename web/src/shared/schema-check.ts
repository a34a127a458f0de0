/**
 * Checks a value against a JSON Schema as TypeBox emits it (the engine's
 * template and brand schemas), in the browser, without generating code (the
 * pages' CSP allows no eval, so Ajv cannot compile there). It covers the
 * keywords those schemas use and answers the first problem with its path,
 * written like the server's errors (`$.scenes[0].elements[2].style.color`).
 */

export interface SchemaProblem {
  path: string;
  rule: string;
}

type Schema = Record<string, unknown>;

const key = (path: string, name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

const patterns = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    patterns.set(source, re);
  }
  return re;
}

/** The first problem of `value` against `schema`, or null when it is valid. */
export function checkSchema(schema: Schema, value: unknown, path = '$'): SchemaProblem | null {
  if ('const' in schema && value !== schema['const']) return { path, rule: `must be ${JSON.stringify(schema['const'])}` };
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) return { path, rule: `must be one of ${(schema['enum'] as unknown[]).map((e) => JSON.stringify(e)).join(', ')}` };
  const type = schema['type'];
  if (typeof type === 'string' && !matchesType(value, type)) return { path, rule: `must be ${type === 'integer' ? 'a whole number' : type === 'object' ? 'an object' : type === 'array' ? 'an array' : `a ${type}`}` };
  if (Array.isArray(schema['anyOf'])) {
    const branches = schema['anyOf'] as Schema[];
    const problems = branches.map((b) => checkSchema(b, value, path));
    if (problems.every((p) => p !== null)) {
      // One branch of the same JSON type says best what is wrong (e.g. the number's range); else list the literals.
      const literals = branches.filter((b) => 'const' in b).map((b) => JSON.stringify(b['const']));
      if (literals.length === branches.length) return { path, rule: `must be one of ${literals.join(', ')}` };
      const sameType = problems.find((p, i) => typeof branches[i]!['type'] === 'string' && matchesType(value, branches[i]!['type'] as string));
      return sameType ?? problems[0]!;
    }
  }
  if (Array.isArray(schema['oneOf'])) {
    const branches = schema['oneOf'] as Schema[];
    const tag = (schema['discriminator'] as { propertyName?: string } | undefined)?.propertyName;
    if (tag && value && typeof value === 'object') {
      const wanted = (value as Record<string, unknown>)[tag];
      const branch = branches.find((b) => ((b['properties'] as Record<string, Schema> | undefined)?.[tag]?.['const'] ?? null) === wanted);
      if (!branch) return { path, rule: `has an unknown or missing "${tag}" (one of ${branches.map((b) => JSON.stringify((b['properties'] as Record<string, Schema>)[tag]!['const'])).join(', ')})` };
      const p = checkSchema(branch, value, path);
      if (p) return p;
    } else if (!branches.some((b) => checkSchema(b, value, path) === null)) return checkSchema(branches[0]!, value, path);
  }
  switch (typeOf(value)) {
    case 'string': {
      const s = value as string;
      const length = [...s].length;
      if (typeof schema['minLength'] === 'number' && length < schema['minLength']) return { path, rule: schema['minLength'] === 1 ? 'must not be empty' : `must be at least ${schema['minLength']} characters` };
      if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) return { path, rule: `must be at most ${schema['maxLength']} characters` };
      if (typeof schema['pattern'] === 'string' && !regex(schema['pattern']).test(s)) return { path, rule: `must match pattern "${schema['pattern']}"; see the schema's description of this field` };
      if (schema['format'] === 'date-time' && Number.isNaN(Date.parse(s))) return { path, rule: 'must be a date-time (e.g. 2026-11-30T12:00:00Z)' };
      break;
    }
    case 'integer':
    case 'number': {
      const n = value as number;
      if (!Number.isFinite(n)) return { path, rule: 'must be a finite number' };
      if (typeof schema['minimum'] === 'number' && n < schema['minimum']) return { path, rule: `must be >= ${schema['minimum']}` };
      if (typeof schema['maximum'] === 'number' && n > schema['maximum']) return { path, rule: `must be <= ${schema['maximum']}` };
      if (typeof schema['exclusiveMinimum'] === 'number' && n <= schema['exclusiveMinimum']) return { path, rule: `must be > ${schema['exclusiveMinimum']}` };
      if (typeof schema['exclusiveMaximum'] === 'number' && n >= schema['exclusiveMaximum']) return { path, rule: `must be < ${schema['exclusiveMaximum']}` };
      if (typeof schema['multipleOf'] === 'number' && Math.abs(n / schema['multipleOf'] - Math.round(n / schema['multipleOf'])) > 1e-9) return { path, rule: `must be a multiple of ${schema['multipleOf']}` };
      break;
    }
    case 'array': {
      const list = value as unknown[];
      if (typeof schema['minItems'] === 'number' && list.length < schema['minItems']) return { path, rule: `must have at least ${schema['minItems']} item${schema['minItems'] === 1 ? '' : 's'}` };
      if (typeof schema['maxItems'] === 'number' && list.length > schema['maxItems']) return { path, rule: `must have at most ${schema['maxItems']} items` };
      const items = schema['items'];
      if (items && typeof items === 'object' && !Array.isArray(items)) {
        for (const [i, item] of list.entries()) {
          const p = checkSchema(items as Schema, item, `${path}[${i}]`);
          if (p) return p;
        }
      }
      break;
    }
    case 'object': {
      const obj = value as Record<string, unknown>;
      const props = (schema['properties'] ?? {}) as Record<string, Schema>;
      for (const name of (schema['required'] ?? []) as string[]) if (!(name in obj)) return { path: key(path, name), rule: 'is required' };
      if (schema['additionalProperties'] === false) {
        for (const name of Object.keys(obj)) if (!(name in props)) return { path: key(path, name), rule: 'is not a known property (check its spelling, or remove it)' };
      }
      for (const [name, sub] of Object.entries(props)) {
        if (!(name in obj) || obj[name] === undefined) continue;
        const p = checkSchema(sub, obj[name], key(path, name));
        if (p) return p;
      }
      break;
    }
  }
  return null;
}
