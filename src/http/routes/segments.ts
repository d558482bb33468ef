import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { translator } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import { segmentFiltersSchema } from '../../segments/filters.js';
import { isBuiltinSegment, type BuiltinSegment } from '../../segments/rfm.js';
import { freeSegmentId, listSegments, segmentMembers, type SegmentTime } from '../../segments/segments.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { presentCustomer } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/** The catalogue key of a built-in segment's name (`segments.name.mais_valiosos`…). */
export function builtinSegmentKey(id: BuiltinSegment) {
  return `segments.name.${id.replace(/-/g, '_')}` as `segments.name.${'mais_valiosos' | 'maior_potencial' | 'fieis' | 'novos' | 'em_risco' | 'perdidos' | 'abaixo_de_zero'}`;
}

/** Reads one page of a segment's members, newest first: the paging of GET /api/customers. */
export function segmentPage(members: readonly number[], limit: number, before: number | undefined): { ids: number[]; nextBefore: number | null } {
  const ids: number[] = [];
  for (let i = members.length - 1; i >= 0 && ids.length < limit; i -= 1) {
    if (before === undefined || members[i]! < before) ids.push(members[i]!);
  }
  const last = ids.at(-1);
  const more = last !== undefined && ids.length === limit && members[0]! < last;
  return { ids, nextBefore: more ? last : null };
}

/** /api/segments: list with counts, save and delete the seller's own, page through members (issue 21). */
export function segmentRoutes(ctx: RouteContext, timeZone: string) {
  const t = translator(ctx.locale);
  const at = (): SegmentTime => ({ now: ctx.clock.now(), timeZone });
  const idParams = strictObject({ id: z.string().min(1).max(80) }, ctx.locale);
  const createBody = strictObject({ name: z.string().trim().min(1).max(80), filters: segmentFiltersSchema(ctx.locale) }, ctx.locale);
  const pageQuery = strictObject(
    {
      limit: z.coerce.number().int().min(1).max(500).default(50),
      before: z.coerce.number().int().positive().optional(),
    },
    ctx.locale,
  );
  const notFound = (id: string) => new HttpError(404, 'segment_not_found', t('segments.error.not_found', { id }));

  return async function routes(app: FastifyInstance): Promise<void> {
    const list = apiSchema({
      tag: 'segments',
      summary: 'Every segment with its number of customers',
      description: 'The built-in RFM segments first (docs/metrics.md, "Segments"), then the custom ones, oldest first. Erased customers are never counted.',
      response: { 200: '`{ segments: [{ id, name, kind: "built-in" | "custom", count, filters? }] }`.' },
    });
    app.get('/segments', { schema: list }, async () => {
      const custom = new Map(ctx.repos.segments.listCustom().map((segment) => [segment.id, segment]));
      return {
        segments: listSegments(ctx.repos, at(), (id) => t(builtinSegmentKey(id))).map((segment) =>
          segment.kind === 'custom' ? { ...segment, filters: JSON.parse(custom.get(segment.id)!.filters) as unknown } : segment,
        ),
      };
    });

    const create = apiSchema({
      tag: 'segments',
      summary: 'Save a custom segment from filters',
      description: 'Body `{ name, filters }`; every filter given must hold. Its id is a slug of the name (made unique), which flows may name in `filter: { segment }`.',
      body: createBody,
      response: { 201: '`{ id, name, kind: "custom", count, filters }`.' },
    });
    app.post('/segments', { schema: create }, async (request, reply) => {
      const body = parseOrReject(createBody, request.body, ctx.locale);
      const id = freeSegmentId(body.name, (taken) => ctx.repos.segments.findCustom(taken) !== undefined);
      ctx.repos.segments.createCustom({ id, name: body.name, filters: JSON.stringify(body.filters), createdAt: ctx.clock.now() });
      const count = segmentMembers(ctx.repos, id, at())!.length;
      return reply.status(201).send({ id, name: body.name, kind: 'custom', count, filters: body.filters });
    });

    const remove = apiSchema({
      tag: 'segments',
      summary: 'Delete a custom segment',
      params: idParams,
      response: { 204: 'Deleted.', 404: 'segment_not_found.', 409: 'segment_built_in: the built-in segments cannot be deleted.' },
    });
    app.delete('/segments/:id', { schema: remove }, async (request, reply) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      if (isBuiltinSegment(id)) throw new HttpError(409, 'segment_built_in', t('segments.error.built_in', { id }));
      if (!ctx.repos.segments.deleteCustom(id)) throw notFound(id);
      return reply.status(204).send();
    });

    const members = apiSchema({
      tag: 'segments',
      summary: "A page of a segment's customers, newest first",
      description: '`?limit=` and `?before=` (the `nextBefore` of the previous page), as GET /api/customers.',
      params: idParams,
      querystring: pageQuery,
      response: { 200: '`{ segment: { id, name, kind, count }, customers, nextBefore }`.', 404: 'segment_not_found.' },
    });
    app.get('/segments/:id/customers', { schema: members }, async (request) => {
      const { id } = parseOrReject(idParams, request.params, ctx.locale, 'params');
      const query = parseOrReject(pageQuery, request.query, ctx.locale, 'query');
      const ids = segmentMembers(ctx.repos, id, at());
      if (!ids) throw notFound(id);
      const page = segmentPage(ids, query.limit, query.before);
      const name = isBuiltinSegment(id) ? t(builtinSegmentKey(id)) : ctx.repos.segments.findCustom(id)!.name;
      return {
        segment: { id, name, kind: isBuiltinSegment(id) ? 'built-in' : 'custom', count: ids.length },
        customers: ctx.repos.segments.customersByIds(page.ids).map(presentCustomer),
        nextBefore: page.nextBefore,
      };
    });
  };
}
