import fc from 'fast-check';
import { deeplyNestedJson, hostileBytes, hostileJson, hostileKey, hostileString, invalidPhone, isSurelyNotAPhone } from './hostile.js';
import { allowedTypes, couldBeInteger, invalidValue, isPhoneField, plausible, type JsonSchema } from './json-schema.js';

/** A route as the fuzz sees it: what the OpenAPI document says it takes. */
export interface RouteSpec {
  method: string;
  /** Fastify's form: /api/customers/:id */
  url: string;
  pathParams: Param[];
  query: Param[];
  /** The media types of the body and the schema of its JSON form; null when the route declares no body. */
  body: { types: string[]; schema: JsonSchema | null } | null;
}

export interface Param {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** What exists in the database, so that a "plausible" path parameter names a real row. */
export interface World {
  /** Ids that exist (customers, outbox rows). */
  integerIds: number[];
  /** Flow ids that exist. */
  stringIds: string[];
}

export interface FuzzRequest {
  /** Which kind of bad input, for the tally and the failure message. */
  family: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

/** Every operation of the OpenAPI document, as specs keyed "METHOD /api/x/:id". */
export function specsFromOpenApi(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Map<string, RouteSpec> {
  const specs = new Map<string, RouteSpec>();
  for (const [openPath, operations] of Object.entries(document.paths)) {
    const url = openPath.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const pick = (where: string) =>
        parameters.filter((parameter) => parameter.in === where).map((parameter) => ({ name: parameter.name, schema: parameter.schema, required: parameter.required === true }));
      const content = operation.requestBody?.content;
      const spec: RouteSpec = {
        method: method.toUpperCase(),
        url,
        pathParams: pick('path'),
        query: pick('query'),
        body: content ? { types: Object.keys(content), schema: content['application/json']?.schema ?? null } : null,
      };
      specs.set(`${spec.method} ${url}`, spec);
    }
  }
  return specs;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = 'application/json';

/** Media types that are not JSON and that no route takes (the CSV route's own are left out per route). */
const OTHER_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json-patch+json',
  'application/vnd.api+json',
  'text/json',
  'application/javascript',
  'image/png',
  'application/octet-stream',
  'text/csv',
  '*/*',
  'application',
  'json',
  '',
  ';',
  'application/ json',
];

/** Whether Fastify would read the body as JSON (the media type, without parameters, is application/json). */
function isJsonType(type: string): boolean {
  return (type.split(';')[0] ?? '').trim().toLowerCase() === JSON_TYPE;
}

/** Text JSON.parse refuses (after the byte-order mark Fastify's parser strips). */
function isMalformedJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return false;
  } catch {
    return true;
  }
}

/** Percent-encodes every byte but the unreserved ones; lone surrogates become U+FFFD, as UTF-8 has no room for them. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function queryString(pairs: [string, string][], raw = false): string {
  if (pairs.length === 0) return '';
  return `?${pairs.map(([key, value]) => (raw ? `${key}=${value}` : `${percentEncode(key)}=${percentEncode(value)}`)).join('&')}`;
}

function fillPath(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_whole, name: string) => values[name] ?? '');
}

// ---------------------------------------------------------------- parts

/** A path parameter that names something real (path parameters given as text, percent-encoded). */
function plausibleParam(param: Param, world: World): fc.Arbitrary<string> {
  if (param.schema.type === 'integer') return fc.constantFrom(...world.integerIds).map(String);
  return fc.constantFrom(...(world.stringIds.length > 0 ? world.stringIds : ['x'])).map(percentEncode);
}

/**
 * A path parameter the route must refuse (400) or not find (404): text that is no
 * integer in range, an id far past any row, a text too long, a name nothing has.
 */
function badParam(param: Param, world: World): fc.Arbitrary<{ value: string; label: string }> {
  const raw = fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '.', '%2e%2e', ';', '%00', '%2F', '%252F', '%C0%AF', '%FF');
  const { schema } = param;
  if (schema.type === 'integer') {
    const notInteger = fc
      .oneof(hostileString(60), fc.constantFrom('0', '-1', '1.5', '1e3x', 'NaN', 'Infinity', '9007199254740993', ' ', '0x', '1,2', '+', '', '1 OR 1=1', '1;DROP TABLE customers'))
      .filter((text) => !couldBeInteger(text, schema))
      .map((text) => ({ value: percentEncode(text), label: `${param.name} not an id` }));
    const absent = fc.integer({ min: 1_000_000_000, max: Number.MAX_SAFE_INTEGER }).map((id) => ({ value: String(id), label: `${param.name} of nothing` }));
    return fc.oneof(notInteger, absent, raw.map((value) => ({ value, label: `${param.name} raw` })));
  }
  const max = schema.maxLength ?? 100;
  const tooLong = fc.integer({ min: max + 1, max: max + 400 }).map((length) => ({ value: 'x'.repeat(length), label: `${param.name} too long` }));
  const unknown = hostileString(max)
    .filter((text) => text.length > 0 && !world.stringIds.includes(text))
    .map((text) => ({ value: percentEncode(text), label: `${param.name} of nothing` }));
  return fc.oneof(tooLong, unknown, raw.map((value) => ({ value, label: `${param.name} raw` })));
}

function pathWith(route: RouteSpec, world: World): fc.Arbitrary<Record<string, string>> {
  return fc.record(Object.fromEntries(route.pathParams.map((param) => [param.name, plausibleParam(param, world)])));
}

/** A query parameter's value as text: often one the route takes. */
function plausibleQueryValue(param: Param): fc.Arbitrary<string> {
  return plausible(param.schema, param.name).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
}

/** The declared parameters a query might carry (the required ones always). */
function plausibleQuery(route: RouteSpec): fc.Arbitrary<[string, string][]> {
  if (route.query.length === 0) return fc.constant([]);
  return fc.record<Record<string, string>>(
    Object.fromEntries(route.query.map((param) => [param.name, plausibleQueryValue(param)])),
    { requiredKeys: route.query.filter((param) => param.required).map((param) => param.name) },
  ).map((values) => Object.entries(values));
}

/** A value the query parameter certainly refuses, or null when its schema says too little. */
function badQueryValue(param: Param): fc.Arbitrary<string> | null {
  const { schema } = param;
  // As text, a negative number is a phone with a dash before it: "-5502293900000000" is +55 93 90000-0000
  // dialled with the carrier code 22 (seed 92087722 of the API fuzz). Only a dash and digits no parser can
  // make a phone of stay a bad query value.
  if (isPhoneField(param.name, schema)) return invalidPhone().map(String).filter((text) => !/^-\d+$/.test(text) || isSurelyNotAPhone(text));
  if (schema.enum) {
    const allowed = schema.enum.map(String);
    return fc.oneof(hostileString(40), fc.constantFrom(...allowed.map((item) => item.toUpperCase()), ...allowed.map((item) => `${item} `))).filter((text) => !allowed.includes(text));
  }
  if (schema.type === 'integer') {
    return fc
      .oneof(hostileString(40), fc.constantFrom('0', '-1', '1.5', '501', '1e9', 'NaN', 'Infinity', '9007199254740993', '', ' ', '1e400'))
      .filter((text) => !couldBeInteger(text, schema));
  }
  if (schema.type === 'string' && schema.maxLength !== undefined) {
    const max = schema.maxLength;
    return fc.integer({ min: max + 1, max: max + 2_000 }).map((length) => 'q'.repeat(length));
  }
  return null;
}

// ---------------------------------------------------------------- families

interface Parts {
  path: Record<string, string>;
  query: [string, string][];
  rawQuery?: boolean;
  contentType?: string | undefined;
  payload?: string | Buffer | undefined;
}

function build(route: RouteSpec, family: string, parts: Parts): FuzzRequest {
  const headers: Record<string, string> = {};
  if (parts.contentType !== undefined) headers['content-type'] = parts.contentType;
  return {
    family,
    method: route.method as FuzzRequest['method'],
    url: fillPath(route.url, parts.path) + queryString(parts.query, parts.rawQuery),
    headers,
    ...(parts.payload !== undefined ? { payload: parts.payload } : {}),
  };
}

/** The body a route would take: plausible JSON for a JSON route, nothing for a route without one. */
function plausibleBody(route: RouteSpec): fc.Arbitrary<{ contentType?: string; payload?: string }> {
  if (route.body?.schema) {
    return fc.tuple(plausible(route.body.schema), fc.constantFrom(JSON_TYPE, 'application/json; charset=utf-8', 'Application/JSON')).map(([value, contentType]) => ({
      contentType,
      payload: JSON.stringify(value),
    }));
  }
  if (route.body && route.body.types.length > 0) {
    return fc.constantFrom(...route.body.types).map((contentType) => ({ contentType, payload: 'telefone;nome\n(11) 91234-5678;Ana\n' }));
  }
  return fc.constant({});
}

/**
 * Requests `route` must refuse with a 4xx and without writing anything: each
 * has at least one defect that is certain from what the route declares (its
 * OpenAPI schema) or from how any JSON route reads a body (Fastify's parser);
 * the rest of the request is plausible, often valid, so that the defect is
 * met deep in the route's reading of it.
 */
/**
 * Whether a request meant for `self` asks for another route instead: a client resolves the dot
 * segments of a path (WHATWG URL, as light-my-request, fetch and browsers do: "%2e%2e" is ".."),
 * so `GET /api/segments/%2e%2e/customers` is sent as `GET /api/customers`, a route that rightly
 * answers 200. Such a request tests that other route with good input, not this one with bad input.
 */
export function addressesAnotherRoute(url: string, self: { method: string; url: string }, routes: readonly { method: string; url: string }[]): boolean {
  const raw = url.split('?')[0]!;
  const resolved = new URL(url, 'http://fuzz.invalid').pathname;
  if (resolved === raw) return false;
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`).test(resolved);
  return routes.some((route) => route.method === self.method && route.url !== self.url && matches(route.url));
}

export function invalidRequests(route: RouteSpec, world: World): fc.Arbitrary<FuzzRequest> {
  const families: { arbitrary: fc.Arbitrary<FuzzRequest>; weight: number }[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<FuzzRequest>) => families.push({ arbitrary, weight });
  const path = pathWith(route, world);
  const query = plausibleQuery(route);
  const body = plausibleBody(route);

  // Path parameters: not an id, an id of nothing, a name too long, raw percent signs and dots.
  for (const param of route.pathParams) {
    add(
      3,
      fc.record({ path, bad: badParam(param, world), query, body }).map(({ path: good, bad, query: pairs, body: content }) =>
        build(route, `params: ${bad.label}`, { path: { ...good, [param.name]: bad.value }, query: pairs, ...content }),
      ),
    );
  }

  // The query: an unknown parameter (strict), a declared one twice (an array), a value it refuses, a required one missing.
  if (route.query.length > 0) {
    const declared = new Set(route.query.map((param) => param.name));
    add(
      2,
      fc.record({ path, pairs: query, key: hostileKey().filter((key) => key !== '' && !declared.has(key)), value: hostileString(60), body }).map(({ path: good, pairs, key, value, body: content }) =>
        build(route, `query: unknown parameter`, { path: good, query: [...pairs, [key, value]], ...content }),
      ),
    );
    // Raw, not encoded: what a careless client sends. The name starts with "zz", which no parameter does.
    if (![...declared].some((name) => name.startsWith('zz'))) {
      add(
        1,
        fc.record({ path, junk: fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((text) => text.replace(/[&=#+\s]/g, '')), body }).map(({ path: good, junk, body: content }) =>
          build(route, 'query: raw unknown parameter', { path: good, query: [[`zz${junk}`, junk]], rawQuery: true, ...content }),
        ),
      );
    }
    for (const param of route.query) {
      if (param.schema.type !== 'array') {
        add(
          1,
          fc.record({ path, pairs: query, values: fc.tuple(plausibleQueryValue(param), plausibleQueryValue(param)), body }).map(({ path: good, pairs, values, body: content }) =>
            build(route, `query: ${param.name} twice`, { path: good, query: [...pairs.filter(([key]) => key !== param.name), [param.name, values[0]], [param.name, values[1]]], ...content }),
          ),
        );
      }
      const bad = badQueryValue(param);
      if (bad) {
        add(
          2,
          fc.record({ path, pairs: query, value: bad, body }).map(({ path: good, pairs, value, body: content }) =>
            build(route, `query: bad ${param.name}`, { path: good, query: [...pairs.filter(([key]) => key !== param.name), [param.name, value]], ...content }),
          ),
        );
      }
      if (param.required) {
        add(
          1,
          fc.record({ path, pairs: query, body }).map(({ path: good, pairs, body: content }) =>
            build(route, `query: ${param.name} missing`, { path: good, query: pairs.filter(([key]) => key !== param.name), ...content }),
          ),
        );
      }
    }
  }

  if (BODY_METHODS.has(route.method)) {
    const jsonSchema = route.body?.schema ?? null;
    const takesJson = route.body === null || route.body.types.some(isJsonType);

    if (jsonSchema) {
      // One certain defect somewhere in a body of the right shape.
      add(
        8,
        fc.record({ path, pairs: query, bad: invalidValue(jsonSchema), contentType: fc.constantFrom(JSON_TYPE, 'application/json; charset=utf-8') }).map(({ path: good, pairs, bad, contentType }) =>
          build(route, `body: ${bad.label.replace(/\d+/g, 'n')}`, { path: good, query: pairs, contentType, payload: JSON.stringify(bad.value) }),
        ),
      );
      // Nesting far deeper than any caller's: at the top (an object is expected) or in a field that takes no list or object.
      const flat = Object.entries(jsonSchema.properties ?? {}).filter(([, sub]) => {
        const types = allowedTypes(sub);
        return types !== null && !types.has('array') && !types.has('object');
      });
      add(
        1,
        fc.record({ path, pairs: query, depth: fc.integer({ min: 1_000, max: 100_000 }), kind: fc.constantFrom('array' as const, 'object' as const), field: flat.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...flat.map(([key]) => key)), { nil: undefined }) }).map(
          ({ path: good, pairs, depth, kind, field }) => {
            const deep = deeplyNestedJson(depth, kind);
            const payload = field === undefined ? (kind === 'array' ? deep : `[${deep}]`) : `{${JSON.stringify(field)}:${deep}}`;
            return build(route, `body: nested ${kind === 'array' ? 'lists' : 'objects'}`, { path: good, query: pairs, contentType: JSON_TYPE, payload });
          },
        ),
      );
    } else if (route.body !== null && !takesJson) {
      // A route of another media type (CSV) given JSON.
      add(
        2,
        fc.record({ path, pairs: query, value: hostileJson() }).map(({ path: good, pairs, value }) =>
          build(route, 'body: JSON to a route that takes none', { path: good, query: pairs, contentType: JSON_TYPE, payload: JSON.stringify(value) ?? 'null' }),
        ),
      );
    }

    // CSV without any column a phone could be in: unreadable as a customer list, whatever the rest.
    const csvTypes = (route.body?.types ?? []).filter((type) => !isJsonType(type));
    if (csvTypes.length > 0) {
      const header = fc.array(fc.string({ unit: 'binary-ascii', maxLength: 12 }).map((cell) => `x${cell.replace(/[;,\t"\r\n]/g, '')}`), { minLength: 1, maxLength: 6 });
      add(
        3,
        fc.record({ path, header, separator: fc.constantFrom(';', ',', '\t'), rest: fc.oneof(hostileString(400), hostileBytes().map((bytes) => bytes.toString('latin1'))), contentType: fc.constantFrom(...csvTypes), latin1: fc.boolean() }).map(
          ({ path: good, header: cells, separator, rest, contentType, latin1 }) => {
            const text = `${cells.join(separator)}\n${rest}`;
            return build(route, 'csv: no phone column', { path: good, query: [], contentType, payload: Buffer.from(text, latin1 ? 'latin1' : 'utf8') });
          },
        ),
      );
      add(
        1,
        fc.record({ path, blank: fc.constantFrom('', ' ', '\n\n', '\uFEFF', '\uFEFF \r\n\t'), contentType: fc.constantFrom(...csvTypes) }).map(({ path: good, blank, contentType }) =>
          build(route, 'csv: blank', { path: good, query: [], contentType, payload: blank === '' ? Buffer.alloc(0) : Buffer.from(blank) }),
        ),
      );
    }

    // Text that is not JSON, sent as JSON: truncated, trailing junk, comments, single quotes, bytes.
    // (Every route reads a JSON body with Fastify's parser, the CSV route too, before its handler.)
    {
      const broken = fc
        .oneof(
          fc.tuple(body, fc.nat()).map(([content, cut]) => {
            const text = typeof content.payload === 'string' ? content.payload : '{"a":1}';
            return text.slice(0, text.length === 0 ? 0 : cut % text.length);
          }),
          fc.tuple(body, hostileString(20)).map(([content, junk]) => `${typeof content.payload === 'string' ? content.payload : '{}'}${junk}`),
          fc.constantFrom('{', '[', '{"a":}', "{'a':1}", '{"a":1,}', '[1,]', 'NaN', 'Infinity', 'undefined', '{"a":1}/*x*/', '// x\n{}', '{"a":01}', '{"a":"\\x"}', '"\\ud800', '\u0000', '{"a":1}{"b":2}', 'tru', '-', '0x10', '.5', '1.', '{"__proto__":'),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
          hostileBytes().map((bytes) => bytes.toString('latin1')),
        )
        .filter((text) => text.trim() !== '' && isMalformedJson(text));
      add(
        3,
        fc.record({ path, pairs: query, text: broken }).map(({ path: good, pairs, text }) => build(route, 'json: malformed', { path: good, query: pairs, contentType: JSON_TYPE, payload: text })),
      );
      add(
        1,
        fc.record({ path, pairs: query, blank: fc.constantFrom('', ' ', '\n', '\uFEFF') }).map(({ path: good, pairs, blank }) =>
          build(route, 'json: empty', { path: good, query: pairs, contentType: JSON_TYPE, payload: blank }),
        ),
      );

      // Prototype pollution that the JSON parser must refuse: an own __proto__ (any spelling), or constructor.prototype.
      const poison = fc.oneof(
        fc.tuple(fc.constantFrom('"__proto__"', '"\\u005f_proto__"', '"__\\u0070roto__"', '"\\u005F\\u005Fproto\\u005F\\u005F"'), hostileJson()).map(([key, value]) => `${key}:${JSON.stringify(value) ?? 'null'}`),
        fc.tuple(fc.constantFrom('"constructor"', '"\\u0063onstructor"'), hostileJson()).map(([key, value]) => `${key}:{"prototype":${JSON.stringify(value) ?? 'null'}}`),
      );
      add(
        3,
        fc.record({ path, pairs: query, content: body, member: poison, depth: fc.integer({ min: 0, max: 4 }), inArray: fc.boolean() }).map(({ path: good, pairs, content, member, depth, inArray }) => {
          let text = `{${member}}`;
          for (let level = 0; level < depth; level++) text = inArray ? `[${text}]` : `{"a":${text}}`;
          // Beside the plausible body's own members, when it has any.
          const base = typeof content.payload === 'string' && content.payload.startsWith('{') && content.payload !== '{}' ? content.payload : null;
          const payload = base && depth === 0 ? `${base.slice(0, -1)},${member}}` : text;
          return build(route, 'json: prototype pollution', { path: good, query: pairs, contentType: JSON_TYPE, payload });
        }),
      );

      // Over the 1 MiB limit of JSON bodies.
      add(
        1,
        fc.record({ path, pairs: query, extra: fc.integer({ min: 1, max: 64 * 1024 }), unit: fc.constantFrom('x', 'é', '9') }).map(({ path: good, pairs, extra, unit }) =>
          build(route, 'json: too large', { path: good, query: pairs, contentType: JSON_TYPE, payload: `{"a":"${unit.repeat(Math.ceil((1024 * 1024 + extra) / Buffer.byteLength(unit)))}"}` }),
        ),
      );
    }

    // A body of a media type the route does not take (or none at all): random bytes, text, a form.
    const accepted = new Set((route.body?.types ?? []).map((type) => type.toLowerCase()));
    const wrongTypes = OTHER_TYPES.filter((type) => !isJsonType(type) && !accepted.has((type.split(';')[0] ?? '').trim().toLowerCase()));
    add(
      3,
      fc.record({ path, pairs: query, contentType: fc.option(fc.constantFrom(...wrongTypes), { nil: undefined, freq: 6 }), payload: hostileBytes() }).map(({ path: good, pairs, contentType, payload }) =>
        build(route, `content type: ${contentType ?? 'none'}`, { path: good, query: pairs, contentType, payload }),
      ),
    );
  }

  if (families.length === 0) throw new Error(`${route.method} ${route.url}: nothing to send it`);
  return fc.oneof(...families);
}

/** Whether the route takes any input to fuzz: a body, a query, path parameters (GETs without them take nothing). */
export function takesInput(route: RouteSpec): boolean {
  return route.pathParams.length > 0 || route.query.length > 0 || BODY_METHODS.has(route.method);
}

