// Owns a small structural schema checker: every key known, every value of its type, every problem named by its path.
import { DomsecError } from '../errors.js';
import { editDistance } from '../suggest.js';

export type Schema =
  | { kind: 'string'; max?: number; check?: (v: string) => string | undefined }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'scalar' } // a string or a number, read as a string (seeds)
  | { kind: 'list'; of: Schema; min?: number; max: number }
  | { kind: 'listOrString'; of: Schema; max: number } // `to: a@x, b@y` or `to: [a@x, b@y]`
  | { kind: 'record'; of: Schema; max: number } // any keys (header names), each value of one schema
  | { kind: 'object'; fields: Record<string, { schema: Schema; required?: boolean }> };

export const str = (check?: (v: string) => string | undefined, max = 1000): Schema => ({ kind: 'string', max, ...(check ? { check } : {}) });
export const oneOf = (...values: string[]): Schema => ({ kind: 'enum', values });
export const bool: Schema = { kind: 'boolean' };
export const int = (min: number, max: number): Schema => ({ kind: 'integer', min, max });
export const list = (of: Schema, max: number, min = 0): Schema => ({ kind: 'list', of, max, min });
export const obj = (fields: Record<string, Schema>, required: string[] = []): Schema => ({
  kind: 'object', fields: Object.fromEntries(Object.entries(fields).map(([k, schema]) => [k, { schema, required: required.includes(k) }])),
});

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `the ${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function closest(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  const best = known.map((k) => ({ k, d: editDistance(lower, k) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? best.k : undefined;
}

/**
 * Checks `value` against `schema`; the first problem becomes ERR_LAB_FILE naming its path, e.g.
 * `organizations[1].sendConnectors[0].adressSpaces: unknown key (did you mean addressSpaces?)`.
 */
export function checkSchema(value: unknown, schema: Schema, path: string, fail: (path: string, sentence: string) => DomsecError): void {
  const at = path || 'top level';
  switch (schema.kind) {
    case 'string':
      if (typeof value !== 'string') throw fail(at, `must be text, not ${typeName(value)}.`);
      if (value.length > (schema.max ?? 1000)) throw fail(at, `is longer than ${schema.max ?? 1000} characters.`);
      if (schema.check) {
        const problem = schema.check(value);
        if (problem) throw fail(at, problem);
      }
      return;
    case 'enum':
      // Exact spelling: the model uses the value as written, so 'partner' would silently not be 'Partner'.
      if (typeof value !== 'string' || !schema.values.includes(value)) {
        throw fail(at, `must be one of ${schema.values.join(', ')} (as spelled), not ${typeName(value)}.`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw fail(at, `must be true or false, not ${typeName(value)}.`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < schema.min || value > schema.max) {
        throw fail(at, `must be a whole number from ${schema.min} to ${schema.max}, not ${typeName(value)}.`);
      }
      return;
    case 'scalar':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) throw fail(at, `must be text or a number, not ${typeName(value)}.`);
      if (String(value).length > 200) throw fail(at, 'is longer than 200 characters.');
      return;
    case 'listOrString':
      if (typeof value === 'string') {
        const parts = value.split(/[,;]\s*/).filter(Boolean);
        if (parts.length > schema.max) throw fail(at, `has more than ${schema.max} entries.`);
        parts.forEach((p, i) => checkSchema(p, schema.of, `${at}[${i}]`, fail));
        return;
      }
      checkSchema(value, { kind: 'list', of: schema.of, max: schema.max, min: 1 }, path, fail);
      return;
    case 'list':
      if (!Array.isArray(value)) throw fail(at, `must be a list, not ${typeName(value)}.`);
      if (value.length < (schema.min ?? 0)) throw fail(at, `needs at least ${schema.min} entr${schema.min === 1 ? 'y' : 'ies'}.`);
      if (value.length > schema.max) throw fail(at, `has ${value.length} entries; at most ${schema.max} are allowed.`);
      value.forEach((v, i) => checkSchema(v, schema.of, `${path}[${i}]`, fail));
      return;
    case 'record':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(at, `must be a mapping, not ${typeName(value)}.`);
      if (Object.keys(value).length > schema.max) throw fail(at, `has more than ${schema.max} keys.`);
      for (const [k, v] of Object.entries(value)) checkSchema(v, schema.of, path ? `${path}.${k}` : k, fail);
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(at, `must be a mapping, not ${typeName(value)}.`);
      const known = Object.keys(schema.fields);
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(schema.fields, key)) {
          const hint = closest(key, known);
          throw fail(path ? `${path}.${key}` : key, `unknown key${hint ? ` (did you mean ${hint}?)` : ''}; known keys here: ${known.join(', ')}.`);
        }
      }
      for (const [key, f] of Object.entries(schema.fields)) {
        const v = (value as Record<string, unknown>)[key];
        const where = path ? `${path}.${key}` : key;
        if (v === undefined || v === null) {
          if (f.required) throw fail(where, 'is required.');
          if (v === null) throw fail(where, 'is empty; remove the key or give a value.');
          continue;
        }
        checkSchema(v, f.schema, where, fail);
      }
      return;
    }
  }
}
