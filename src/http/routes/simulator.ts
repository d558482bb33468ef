import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WhatsAppLimits } from '../../channels/channel.js';
import { linkRefusalOf } from '../../channels/link-refusal.js';
import type { Simulation } from '../../simulation/simulation.js';
import { translate } from '../../i18n/index.js';
import { fields } from '../../intake/fields.js';
import { strictObject } from '../../intake/validate.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { iso, presentMessage } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

const MINUTE = 60_000;
const MAX_QUOTA = 1_000_000;
/** A year: longer is no simulation anyone needs. */
const MAX_CYCLE_HOURS = 366 * 24;
const MAX_LOCK_MINUTES = 366 * 24 * 60;

/** The limits with their times as ISO 8601, as the rest of the API gives times. */
function presentLimits(limits: WhatsAppLimits) {
  const { cap, lock } = limits;
  return {
    cap: cap && { ...cap, cycleStart: iso(cap.cycleStart), cycleEnd: iso(cap.cycleEnd), readAt: iso(cap.readAt) },
    lock: lock && { ...lock, endsAt: iso(lock.endsAt), readAt: iso(lock.readAt) },
    waVersion: limits.waVersion,
  };
}

/**
 * /api/simulator: with CHANNEL=simulator, programs play the customers and the
 * owner's phone, read the conversations, and inject faults. Each message a
 * customer "sends" is in the record by the time the answer comes back.
 */
export function simulatorRoutes(ctx: RouteContext, simulation: Pick<Simulation, 'phones' | 'refusal'>) {
  const simulator = simulation.phones;
  const f = fields(ctx.intake);
  const message = strictObject(
    {
      from: f.phone,
      name: f.text(100).optional(),
      text: z.string().min(1).max(4096).optional(),
      contact: strictObject({ name: f.text(200).optional(), phones: z.array(z.string().min(1).max(40)).min(1).max(10) }, ctx.locale).optional(),
      pollVote: strictObject({ pollMessageId: z.string().min(1).max(100), options: z.array(z.string().max(300)).max(12) }, ctx.locale).optional(),
      // A photo, video, voice note, document or sticker: only what the inbox reads of it (its kind and caption).
      media: strictObject({ type: z.enum(['image', 'video', 'audio', 'document', 'sticker']), caption: z.string().max(1024).optional() }, ctx.locale).optional(),
    },
    ctx.locale,
  ).refine((body) => [body.text, body.contact, body.pollVote, body.media].filter((part) => part !== undefined).length === 1, {
    message: translate(ctx.locale, 'simulator.one_of'),
  });
  const ownerMessage = strictObject({ to: f.phone, text: z.string().min(1).max(4096) }, ctx.locale);
  const conversationQuery = strictObject({ phone: f.phone }, ctx.locale);
  const newChatCap = strictObject(
    {
      total: z.number().int().min(0).max(MAX_QUOTA),
      used: z.number().int().min(0).max(MAX_QUOTA).optional(),
      cycleHours: z.number().positive().max(MAX_CYCLE_HOURS).optional(),
    },
    ctx.locale,
  ).refine((cap) => cap.used === undefined || cap.used <= cap.total, { path: ['used'], message: translate(ctx.locale, 'simulator.used_above_total') });
  const timeLock = strictObject(
    {
      minutes: z.number().int().min(1).max(MAX_LOCK_MINUTES).optional(),
      until: z.iso
        .datetime({ offset: true })
        .transform((value) => Date.parse(value))
        // Read at each request: the simulated clock moves between them.
        .refine((until) => until > ctx.clock.now(), { message: translate(ctx.locale, 'simulator.lock_not_future') })
        .optional(),
    },
    ctx.locale,
  ).refine((lock) => (lock.minutes === undefined) !== (lock.until === undefined), { message: translate(ctx.locale, 'simulator.lock_one_of') });
  const faults = strictObject(
    {
      drop: z.literal(true).optional(),
      restore: z.literal(true).optional(),
      failNextSends: z.number().int().min(1).max(1000).optional(),
      restrictNextSend: z.literal(true).optional(),
      notOnWhatsApp: f.phone.optional(),
      // WhatsApp's 2026 rules on new chats (issue 18): a quota per cycle, a time lock, refusals.
      newChatCap: newChatCap.nullable().optional(),
      timeLock: z.union([z.literal(false), timeLock], { error: translate(ctx.locale, 'simulator.lock_shape') }).optional(),
      refuseNewChats: z.number().int().min(1).max(1000).optional(),
    },
    ctx.locale,
  );

  const link = strictObject(
    {
      via: z.literal('qr').optional(),
      pairingCode: z.string().min(1).max(20).optional(),
    },
    ctx.locale,
  ).refine((body) => (body.via === undefined) !== (body.pairingCode === undefined), {
    message: translate(ctx.locale, 'simulator.link_one_of'),
  });

  /** The simulator refusing what a real phone could not do is the caller's mistake: 400. */
  function play<T>(act: () => T): T {
    try {
      return act();
    } catch (error) {
      // A refusal to link is coded: said in the locale's words, as on /connect.
      const link = linkRefusalOf(error);
      const refused = link === null ? simulation.refusal(error) : translate(ctx.locale, `link.refused.${link}`);
      if (refused === null) throw error;
      throw new HttpError(400, 'simulator_refused', translate(ctx.locale, 'error.bad_request', { detail: refused }));
    }
  }

  function stored(waId: string) {
    const row = ctx.repos.messages.findByWaId(waId);
    return { customerId: row?.customerId ?? null, message: row ? presentMessage(row) : null };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    const refused = 'validation_failed, or simulator_refused: something a real phone could not do.';
    const customerSends = apiSchema({
      tag: 'simulator',
      summary: 'A customer sends a message: exactly one of text, contact, pollVote or media',
      body: message,
      response: {
        201: '`{ inbound, customerId, message }`: the message as stored in the record.',
        202: '`{ inbound, customerId: null, message: null }`: the connection is down; it is stored when it comes back.',
        400: refused,
      },
    });
    app.post('/simulator/messages', { schema: customerSends }, async (request, reply) => {
      const body = parseOrReject(message, request.body, ctx.locale);
      const inbound = play(() => {
        if (body.text !== undefined) return simulator.receiveText(body.from, body.text, body.name === undefined ? {} : { name: body.name });
        if (body.contact !== undefined) return simulator.receiveContacts(body.from, [{ name: body.contact.name ?? null, phones: body.contact.phones }]);
        if (body.media !== undefined) return simulator.receiveMedia(body.from, body.media.type, body.media.caption);
        const vote = body.pollVote!;
        return simulator.receivePollVote(body.from, vote.pollMessageId, vote.options);
      });
      // While the connection is down the phone holds the message: 202, it is stored when it comes back.
      await ctx.trafficStored();
      const record = stored(inbound.id);
      return reply.status(record.message ? 201 : 202).send({ inbound, ...record });
    });

    const ownerTypes = apiSchema({
      tag: 'simulator',
      summary: "The owner types on the shop's phone, in that customer's chat",
      body: ownerMessage,
      response: { 201: '`{ owner, customerId, message }`.', 202: 'The connection is down: stored when it comes back.', 400: refused },
    });
    app.post('/simulator/owner-messages', { schema: ownerTypes }, async (request, reply) => {
      const body = parseOrReject(ownerMessage, request.body, ctx.locale);
      const owner = play(() => simulator.ownerTypes(body.to, body.text));
      await ctx.trafficStored();
      const record = stored(owner.id);
      return reply.status(record.message ? 201 : 202).send({ owner, ...record });
    });

    const conversation = apiSchema({
      tag: 'simulator',
      summary: 'The whole conversation with a phone, both directions, in order',
      querystring: conversationQuery,
      response: { 200: '`{ phone, messages: [{ id, direction, from, at, content, status }] }`.' },
    });
    app.get('/simulator/messages', { schema: conversation }, async (request) => {
      const { phone } = parseOrReject(conversationQuery, request.query, ctx.locale, 'query');
      return { phone, messages: simulator.conversation(phone) };
    });

    const linkSchema = apiSchema({
      tag: 'simulator',
      summary: "The shop's phone links the number: scans the QR or types the pairing code",
      description: 'Exactly one of `via: "qr"` or `pairingCode`; only while a QR is shown.',
      body: link,
      response: { 200: '`{ state }`, once what customers sent while unlinked is stored.', 400: refused },
    });
    app.post('/simulator/link', { schema: linkSchema }, async (request) => {
      const body = parseOrReject(link, request.body, ctx.locale);
      play(() => (body.pairingCode === undefined ? simulator.scanQr() : simulator.enterPairingCode(body.pairingCode)));
      // What customers sent while it was unlinked arrives now, and is stored before the answer.
      await ctx.trafficStored();
      return { state: simulator.state };
    });

    const inject = apiSchema({
      tag: 'simulator',
      summary: 'Inject faults: drop or restore the connection, fail or restrict sends, a number not on WhatsApp, a new-chat quota, a time lock',
      description:
        '`newChatCap: { total, used?, cycleHours? } | null` (a quota of new chats per cycle, starting now; null: none), ' +
        '`timeLock: { minutes } | { until } | false` (new chats refused with 463 until then; false lifts it), ' +
        '`refuseNewChats: n` (the next n new chats refused with 463 whatever the quota).',
      body: faults,
      response: { 200: '`{ state, breaker, limits, refusingNewChats }`.', 400: refused },
    });
    app.post('/simulator/faults', { schema: inject }, async (request) => {
      const body = parseOrReject(faults, request.body, ctx.locale);
      play(() => {
        if (body.drop) simulator.dropConnection();
        if (body.restore) simulator.restoreConnection();
        if (body.failNextSends !== undefined) simulator.failNextSend(body.failNextSends);
        if (body.restrictNextSend) simulator.restrictNextSend();
        if (body.notOnWhatsApp !== undefined) simulator.markNotOnWhatsApp(body.notOnWhatsApp);
        if (body.newChatCap !== undefined) simulator.setNewChatCap(body.newChatCap);
        if (body.timeLock === false) simulator.liftReachoutLock();
        else if (body.timeLock !== undefined) simulator.lockReachout(body.timeLock.until ?? ctx.clock.now() + body.timeLock.minutes! * MINUTE);
        if (body.refuseNewChats !== undefined) simulator.refuseNewChats(body.refuseNewChats);
      });
      // What the phone held while offline, and the limits just set, are stored before the answer.
      await ctx.trafficStored();
      const { breaker } = simulator;
      return {
        state: simulator.state,
        breaker: { ...breaker, since: iso(breaker.since) },
        limits: presentLimits(simulator.limits),
        refusingNewChats: simulator.refusingNewChats,
      };
    });
  };
}
