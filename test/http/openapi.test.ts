import { afterEach, describe, expect, it, vi } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { packageVersion } from '../../src/package-path.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openPages, type PagesClient } from '../helpers/pages.js';
import { registered } from '../helpers/route-recorder.js';

// Every route the service registers, as Fastify announces it (onRoute), whatever instance or plugin
// adds it: the document must list each /api route, so a route added without its schema fails here.
vi.mock('fastify', async (importOriginal) => (await import('../helpers/route-recorder.js')).recordingFastify(importOriginal as never));

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}
interface JsonSchema {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean;
  $ref?: string;
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
}

let t: TestApp | undefined;
let client: PagesClient | undefined;
afterEach(async () => {
  await (client?.app ?? t)?.close();
  t = undefined;
  client = undefined;
});

async function documentOf(pages: PagesClient): Promise<Document> {
  const response = await pages.get('/docs/json');
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json<Document>();
}

/** Fastify's `/api/customers/:id` as OpenAPI writes it. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('/docs behind the session', () => {
  it('shows the sign-in form (401) for the reader, which comes back to /docs after it', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<form method="post" action="/sign-in">');
    expect(response.body).toContain('<input type="hidden" name="next" value="/docs">');
    expect(response.body).not.toContain('swagger-ui');
  });

  it('answers 401 JSON for the document and the reader\'s files without the session, or with a wrong token', async () => {
    t = await createTestApp();
    for (const url of ['/docs/json', '/docs/yaml', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js']) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdefghijklm' }]) {
        const response = await t.app.inject({ method: 'GET', url, headers });
        expect(response.statusCode, url).toBe(401);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(response.json()).toEqual({ error: { code: 'unauthorized', message: translate('pt-BR', 'error.unauthorized') } });
      }
    }
    const wrongCookie = await t.app.inject({ method: 'GET', url: '/docs/json', cookies: { fregues_session: 'wrong' } });
    expect(wrongCookie.statusCode).toBe(401);
  });

  it('serves the document to the session cookie and to the bearer token', async () => {
    client = await openPages();
    expect((await client.get('/docs/json')).statusCode).toBe(200);
    const bearer = await client.app.api({ method: 'GET', url: '/docs/json' });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.json<Document>().info.title).toBe('fregues API');
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 with the service\'s title, version and a pointer to docs/api.md', async () => {
    client = await openPages();
    const document = await documentOf(client);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('fregues API');
    expect(document.info.version).toBe(packageVersion());
    expect(document.info.description).toContain('docs/api.md');
  });

  it('lists every /api route the service registers, each with its method, a summary, a tag and the bearer scheme', async () => {
    registered.length = 0;
    client = await openPages();
    const document = await documentOf(client);
    const apiRoutes = registered.filter((route) => route.method !== 'HEAD' && (route.url.startsWith('/api/') || route.url === '/health'));
    // The simulator's and the clock's routes are there too (the test app runs the simulator with a manual clock).
    expect(apiRoutes.map((route) => `${route.method} ${route.url}`)).toEqual(
      expect.arrayContaining(['POST /api/purchases', 'PATCH /api/customers/:id', 'POST /api/customers/import', 'POST /api/simulator/clock', 'GET /api/reports/weekly']),
    );
    for (const route of apiRoutes) {
      const operation = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url} is not in the document`).toBeDefined();
      expect(operation?.summary ?? '', `${route.method} ${route.url} has no summary`).toMatch(/\w/);
      expect(operation?.tags, `${route.method} ${route.url} has no tag`).toHaveLength(1);
      if (route.url === '/health') continue;
      expect(operation?.security, `${route.method} ${route.url}`).toEqual([{ bearerAuth: [] }]);
      expect(operation?.responses['401']?.content?.['application/json']?.schema, `${route.method} ${route.url}`).toEqual({ $ref: '#/components/schemas/Error' });
    }
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', description: expect.stringContaining('ADMIN_TOKEN') },
    });
  });

  it('has /health, public, and no page route', async () => {
    registered.length = 0;
    client = await openPages();
    const document = await documentOf(client);
    expect(document.paths['/health']?.get?.security).toEqual([]);
    expect(Object.keys(document.paths['/health'] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths).filter((path) => path !== '/health' && !path.startsWith('/api/'))).toEqual([]);
    // The pages are registered, and left out.
    const pages = registered.filter((route) => !route.url.startsWith('/api/') && route.url !== '/health').map((route) => route.url);
    expect(pages).toEqual(expect.arrayContaining(['/connect', '/sign-in', '/assets/:name', '/docs', '/docs/json']));
    for (const path of pages) expect(document.paths[openApiPath(path)], path).toBeUndefined();
  });

  it('states the purchase body from the route\'s zod schema: required fields, unknown keys refused, what a caller sends', async () => {
    client = await openPages();
    const operation = (await documentOf(client)).paths['/api/purchases']?.post;
    const body = operation?.requestBody?.content['application/json']?.schema;
    expect(body?.required).toEqual(['customer', 'items']);
    expect(body?.additionalProperties).toBe(false);
    // The phone may be left out: the purchase then waits for its customer's click-to-chat message (202). Seed
    // 2023807651 of `npm run test:fuzz` sent such a body, valid otherwise, as a "missing customer.phone" defect.
    expect(body?.properties?.customer?.required ?? []).toEqual([]);
    expect(Object.keys(body?.properties?.customer?.properties ?? {})).toContain('phone');
    // Or null, as docs/api.md says and hasNoPhone reads it: seed 756680298 sent `"phone": null` as a wrong type.
    expect(JSON.stringify(body?.properties?.customer?.properties?.phone)).toContain('"null"');
    expect(body?.items).toBeUndefined();
    expect(body?.properties?.items?.items?.required).toEqual(['name']);
    // The input side: money is sent as a number or a text ("49,90"), answered in cents.
    expect(body?.properties?.total?.type).toEqual(['number', 'string']);
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(['200', '201', '202', '400', '401', '429']);
    expect(operation?.responses['201']?.content?.['application/json']?.schema.properties?.purchase?.required).toContain('totalCents');
  });

  it('states query strings and path parameters as parameters', async () => {
    client = await openPages();
    const document = await documentOf(client);
    expect(document.paths['/api/customers']?.get?.parameters?.map((parameter) => `${parameter.in} ${parameter.name} ${parameter.required}`)).toEqual([
      'query phone false',
      'query q false',
      'query limit false',
      'query before false',
    ]);
    expect(document.paths['/api/customers/{id}']?.patch?.parameters).toEqual([
      { in: 'path', name: 'id', required: true, schema: { type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
    ]);
    expect(Object.keys(document.paths['/api/customers/import']?.post?.requestBody?.content ?? {})).toContain('text/csv');
  });
});

describe('the routes still validate with zod, not with their schemas', () => {
  it('refuses an unknown key with our 400 (ajv would have dropped it) and reads defaults as before', async () => {
    t = await createTestApp();
    const created = await t.api({ method: 'POST', url: '/api/purchases', payload: { customer: { phone: '11912345678' }, items: [{ name: 'Bolo' }] } });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ customer: { id: number } }>().customer.id;

    const patch = await t.api({ method: 'PATCH', url: `/api/customers/${id}`, payload: { name: 'Ana', apelido: 'Aninha' } });
    expect(patch.statusCode).toBe(400);
    expect(patch.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String),
        issues: [{ path: '', message: expect.stringContaining('apelido') }],
      },
    });
    expect(t.repos.customers.findById(id)?.name).toBeNull();

    const noBody = await t.api({ method: 'POST', url: '/api/simulator/clock' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json<{ error: { issues: { path: string; message: string }[] } }>().error.issues).toEqual([{ path: '', message: 'obrigatório' }]);

    const query = await t.api({ method: 'GET', url: '/api/outbox?limit=abc' });
    expect(query.statusCode).toBe(400);
    expect(query.json<{ error: { issues: { path: string }[] } }>().error.issues.map((issue) => issue.path)).toEqual(['query.limit']);
  });
});

describe('the reader', () => {
  it('is swagger-ui under the pages\' headers and CSP, its files loading with their types', async () => {
    client = await openPages();
    const connect = await client.get('/connect');
    const page = await client.get('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(connect.headers['content-security-policy']);
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.body).toContain('<title>fregues API</title>');
    // No inline script: every script is a file of this site.
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const files = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(files).toEqual(expect.arrayContaining(['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/static/swagger-ui.css']));
    const types: Record<string, string> = { js: 'application/javascript; charset=utf-8', css: 'text/css; charset=utf-8', png: 'image/png' };
    for (const file of files) {
      const response = await client.get(file);
      expect(response.statusCode, file).toBe(200);
      expect(response.headers['content-type'], file).toBe(types[file.split('.').at(-1)!]);
      expect(response.headers['content-security-policy'], file).toBe(connect.headers['content-security-policy']);
    }
    const initializer = await client.get('/docs/static/swagger-initializer.js');
    expect(initializer.body).toContain("resolveUrl('./json')");
    expect(initializer.body).toContain('"layout":"BaseLayout"');
  });

  it('gives the yaml too, and answers HEAD like GET', async () => {
    client = await openPages();
    const yaml = await client.get('/docs/yaml');
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toContain('title: fregues API');
    const head = await client.app.app.inject({ method: 'HEAD', url: '/docs/json', cookies: client.cookies });
    expect(head.statusCode).toBe(200);
  });
});
