import fc from 'fast-check';
import { hostileJson, hostileKey, hostileString, invalidPhone, PHONE_LIKE } from './hostile.js';

/**
 * The JSON Schema the OpenAPI document states for a body, a query parameter
 * or a path parameter (the input side of the route's zod schema). The fuzz
 * reads only what it states for certain: types, required and unknown keys,
 * bounds, lengths, enums, patterns. Refinements zod adds on top (a phone that
 * must be a mobile, "exactly one of") are not in it, so a value is called
 * invalid only for what the schema states, never for a guess.
 */
export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
  description?: string;
}

type JsonType = 'null' | 'boolean' | 'string' | 'number' | 'integer' | 'array' | 'object';

/** Names of the fields that hold a phone number (as the API's schemas name them). */
const PHONE_NAMES = /^(phone|from|to|notOnWhatsApp)$/;

/** A phone field: so named, and stated as text or a non-negative integer (z.union([string, int])). */
export function isPhoneField(name: string | null, schema: JsonSchema): boolean {
  if (name === null || !PHONE_NAMES.test(name)) return false;
  const types = allowedTypes(schema);
  return types !== null && types.has('string') && types.has('integer') && !types.has('object');
}

/** The JSON types a schema allows, or null when it does not say (any value may be fine). */
export function allowedTypes(schema: JsonSchema): Set<JsonType> | null {
  if (schema.anyOf ?? schema.oneOf) {
    const all = new Set<JsonType>();
    for (const branch of schema.anyOf ?? schema.oneOf ?? []) {
      const types = allowedTypes(branch);
      if (types === null) return null;
      for (const type of types) all.add(type);
    }
    return all;
  }
  if (schema.type !== undefined) return new Set([schema.type].flat() as JsonType[]);
  if (schema.enum !== undefined) return new Set(schema.enum.map(jsonTypeOf));
  if (schema.const !== undefined) return new Set([jsonTypeOf(schema.const)]);
  return null;
}

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** Whether the value's JSON type is one the schema allows (an integer is a number too). */
export function hasAllowedType(value: unknown, types: Set<JsonType>): boolean {
  const type = jsonTypeOf(value);
  return types.has(type) || (type === 'integer' && types.has('number'));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.properties !== undefined || allowedTypes(schema)?.has('object') === true;
}

/** Whether a number is within the schema's bounds. */
function inBounds(value: number, schema: JsonSchema): boolean {
  if (schema.minimum !== undefined && value < schema.minimum) return false;
  if (schema.maximum !== undefined && value > schema.maximum) return false;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
  return true;
}

/**
 * Whether a query or path value (always text) could be read as the integer the
 * schema states: the routes coerce with Number(), as z.coerce.number() does.
 */
export function couldBeInteger(text: string, schema: JsonSchema): boolean {
  const number = Number(text);
  return Number.isInteger(number) && inBounds(number, schema);
}

// ---------------------------------------------------------------- plausible values

/** Values of the shape the schema states, often valid, often hostile inside that shape. */
export function plausible(schema: JsonSchema, name: string | null = null, depth = 0): fc.Arbitrary<unknown> {
  if (isPhoneField(name, schema)) return fc.oneof({ arbitrary: fc.constantFrom(...PHONE_LIKE), weight: 4 }, { arbitrary: hostileString(40), weight: 1 });
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => plausible(branch, name, depth)));
  const types = allowedTypes(schema);
  if (types === null) return hostileJson();
  return fc.oneof(...[...types].map((type) => plausibleOfType(type, schema, name, depth)));
}

function plausibleOfType(type: JsonType, schema: JsonSchema, name: string | null, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1000);
      return fc.integer({ min, max: Math.min(max, min + 1000) });
    }
    case 'number':
      return fc.oneof(fc.constantFrom(39.9, 0, 12.5, 1000, 0.01), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    case 'string':
      return plausibleString(schema, name);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      return fc.array(schema.items ? plausible(schema.items, name, depth + 1) : hostileJson(), { minLength: min, maxLength: max });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, plausible(sub, key, depth + 1)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
    }
  }
}

/** Text as the field's name suggests, or hostile text within its length. */
function plausibleString(schema: JsonSchema, name: string | null): fc.Arbitrary<string> {
  const max = schema.maxLength ?? 200;
  const min = schema.minLength ?? 0;
  const hints: Record<string, string[]> = {
    birthday: ['1990-05-17', '17/05/1990', '17/05', '--05-17', '1990-02-29', '31/02', '05-17'],
    email: ['ana@example.com', 'ANA@EXAMPLE.COM ', 'a@b', 'ana@exa mple.com'],
    currency: ['BRL', 'USD', 'EUR', 'brl', ' usd ', 'XXX', 'ZZZ'],
    purchasedAt: ['2026-11-20T12:00:00Z', '2026-11-20', '2026-11-20T12:00:00-03:00', '20/11/2026 12:00', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z'],
    advance: ['1h', '30m', '7d', '1w', '1d12h', '0m', '99999w'],
    to: ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.123-03:00', '2020-01-01T00:00:00Z'],
    week: ['2026-W47', '2026-W01', '2026W47', '2026-W53'],
  };
  const hinted = name !== null ? hints[name] : undefined;
  const text = fc.oneof(
    { arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(Math.min(max, 30), Math.max(min, 1)) }), weight: 3 },
    { arbitrary: hostileString(Math.min(max, 300)).filter((value) => value.length >= min && value.length <= max), weight: 2 },
  );
  return hinted ? fc.oneof({ arbitrary: fc.constantFrom(...hinted), weight: 3 }, { arbitrary: text, weight: 1 }) : text;
}

// ---------------------------------------------------------------- defects

export type Path = (string | number)[];

/** A place in a value where a defect can go, with the schema that governs it. */
interface Site {
  path: Path;
  schema: JsonSchema;
  name: string | null;
  /** The value there (an object for the defects that add or remove keys). */
  value: unknown;
}

export interface Defect {
  /** What was broken, for the tally: "unknown key", "wrong type at customer.phone". */
  label: string;
  apply(value: unknown): unknown;
}

/** Every place in `value` the schema governs: the value itself, each known property, each item. */
export function sitesOf(value: unknown, schema: JsonSchema, path: Path = [], name: string | null = null): Site[] {
  const sites: Site[] = [{ path, schema, name, value }];
  if (isPlainObject(value) && schema.properties) {
    for (const [key, item] of Object.entries(value)) {
      const sub = schema.properties[key];
      if (sub && Object.prototype.hasOwnProperty.call(schema.properties, key)) sites.push(...sitesOf(item, sub, [...path, key], key));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, index) => sites.push(...sitesOf(item, schema.items!, [...path, index], name)));
  return sites;
}

/** The defects that certainly make the value at `site` invalid under its schema (none when the schema says too little). */
export function defectsAt(site: Site): fc.Arbitrary<Defect>[] {
  const { schema, name, path } = site;
  const where = path.length === 0 ? 'the body' : path.join('.');
  const replace = (label: string, arbitrary: fc.Arbitrary<unknown>) =>
    arbitrary.map((bad): Defect => ({ label: `${label} at ${where}`, apply: (value) => setAt(value, path, bad) }));
  const defects: fc.Arbitrary<Defect>[] = [];

  const types = allowedTypes(schema);
  if (types !== null) defects.push(replace('wrong type', hostileJson().filter((bad) => !hasAllowedType(bad, types))));
  if (schema.enum) {
    const allowed = schema.enum;
    const near = allowed.flatMap((item) => (typeof item === 'string' ? [item.toUpperCase(), ` ${item}`, `${item}\u0000`, item.slice(1)] : []));
    defects.push(replace('not in enum', fc.oneof(fc.constantFrom(...(near.length > 0 ? near : ['?'])), hostileJson()).filter((bad) => !allowed.includes(bad))));
  }
  if (types?.has('integer') && !types.has('number') && !types.has('string')) {
    defects.push(replace('not an integer', fc.constantFrom(0.5, 1.5, -0.1, 1e-9, 99.99, 12_345.678)));
  }
  if (types && (types.has('integer') || types.has('number')) && !types.has('string')) {
    const outside: number[] = [];
    if (schema.minimum !== undefined) outside.push(schema.minimum - 1, -1e300);
    if (schema.exclusiveMinimum !== undefined) outside.push(schema.exclusiveMinimum, -1e300);
    if (schema.maximum !== undefined) outside.push(schema.maximum + 1, 1e300);
    if (schema.exclusiveMaximum !== undefined) outside.push(schema.exclusiveMaximum, 1e300);
    const out = outside.filter((number) => !inBounds(number, schema));
    if (out.length > 0) defects.push(replace('out of range', fc.constantFrom(...out)));
  }
  if (types?.has('string') && types.size === 1) {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      defects.push(replace('too long', fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom('x', 'é', '9')).map(([extra, unit]) => unit.repeat(max + extra))));
    }
    if (schema.minLength !== undefined && schema.minLength > 0) defects.push(replace('too short', fc.constant('')));
    if (schema.pattern !== undefined) {
      const pattern = new RegExp(schema.pattern);
      defects.push(replace('not matching the pattern', hostileString(60).filter((text) => !pattern.test(text))));
    }
  }
  if (isPhoneField(name, schema)) defects.push(replace('not a phone', invalidPhone()));
  if (types?.has('array') && types.size === 1 && Array.isArray(site.value)) {
    const items = site.value;
    if (schema.minItems !== undefined && schema.minItems > 0) {
      defects.push(replace('too few items', fc.integer({ min: 0, max: schema.minItems - 1 }).map((count) => items.slice(0, count))));
    }
    if (schema.maxItems !== undefined) {
      const max = schema.maxItems;
      const filler = items[0] ?? 'x';
      defects.push(replace('too many items', fc.integer({ min: 1, max: 20 }).map((extra) => [...items, ...Array.from({ length: max + extra - items.length }, () => filler)])));
    }
  }

  if (isPlainObject(site.value) && isObjectSchema(schema)) {
    const object = site.value;
    const known = schema.properties ?? {};
    if (schema.additionalProperties === false) {
      defects.push(
        fc.tuple(hostileKey().filter((key) => !Object.prototype.hasOwnProperty.call(known, key)), hostileJson()).map(
          ([key, extra]): Defect => ({ label: `unknown key at ${where}`, apply: (value) => updateAt(value, path, (target) => defineOwn(target, key, extra)) }),
        ),
      );
    }
    const present = (schema.required ?? []).filter((key) => Object.prototype.hasOwnProperty.call(object, key));
    if (present.length > 0) {
      defects.push(
        fc.constantFrom(...present).map(
          (key): Defect => ({
            label: `missing ${path.length === 0 ? key : `${where}.${key}`}`,
            apply: (value) =>
              updateAt(value, path, (target) => {
                delete (target as Record<string, unknown>)[key];
                return target;
              }),
          }),
        ),
      );
    }
    // A property the object does not have yet, given a value of the wrong type.
    const absent = Object.entries(known).filter(([key, sub]) => !Object.prototype.hasOwnProperty.call(object, key) && allowedTypes(sub) !== null);
    if (absent.length > 0) {
      defects.push(
        fc.constantFrom(...absent).chain(([key, sub]) =>
          hostileJson()
            .filter((bad) => !hasAllowedType(bad, allowedTypes(sub)!))
            .map((bad): Defect => ({ label: `wrong type at ${path.length === 0 ? key : `${where}.${key}`}`, apply: (value) => updateAt(value, path, (target) => defineOwn(target, key, bad)) })),
        ),
      );
    }
  }
  return defects;
}

/** A value of the schema's shape with exactly one certain defect somewhere in it. */
export function invalidValue(schema: JsonSchema): fc.Arbitrary<{ value: unknown; label: string }> {
  return plausible(schema).chain((base) => {
    const sites = sitesOf(base, schema).filter((site) => defectsAt(site).length > 0);
    if (sites.length === 0) throw new Error(`the schema states nothing that can be broken: ${JSON.stringify(schema)}`);
    return fc
      .constantFrom(...sites)
      .chain((site) => fc.oneof(...defectsAt(site)))
      .map((defect) => ({ value: defect.apply(clone(base)), label: defect.label }));
  });
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : structuredClone(value);
}

/** Sets an own property, even one named __proto__ (plain assignment would set the prototype). */
function defineOwn(target: unknown, key: string, value: unknown): unknown {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  return updateAt(root, path.slice(0, -1), (parent) => defineOwn(parent, String(path.at(-1)), value));
}

function updateAt(root: unknown, path: Path, change: (target: unknown) => unknown): unknown {
  if (path.length === 0) return change(root);
  let node = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  node[last] = change(node[last]);
  return root;
}
