import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { SimulatedMessage } from '../../channels/simulator/simulator-channel.js';
import type { OutboxRow } from '../../storage/repositories/outbox.js';
import { normalizePhone } from '../../domain/phone.js';
import { type MessageKey, pluralizer, translator } from '../../i18n/index.js';
import { groupHeld } from '../../simulation/held-report.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';

/** Queued messages read to say which due ones are held after a jump: a simulator's queue is short. */
const HELD_ROWS_READ = 1_000;

/** The clock buttons: what each posts, and how far it moves the simulated time. */
const JUMPS = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 } as const;
type Jump = keyof typeof JUMPS;
const JUMP_LABELS: Record<Jump, MessageKey> = {
  '1h': 'page.simulator.advance_1h',
  '1d': 'page.simulator.advance_1d',
  '7d': 'page.simulator.advance_7d',
};

/** As WhatsApp and POST /api/simulator/messages allow. */
const MAX_TEXT = 4096;
const MAX_NAME = 100;
/** Customers of the record listed beside the simulator's own conversations. */
const CUSTOMERS_LISTED = 100;
const PREVIEW_CHARS = 60;
/** The images the Simulador shows as themselves (the weekly chart, written in DATA_DIR/reports), by extension. */
const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

const TICKS = {
  sent: { marks: '✓', key: 'page.simulator.tick_sent' },
  delivered: { marks: '✓✓', key: 'page.simulator.tick_delivered' },
  read: { marks: '✓✓', key: 'page.simulator.tick_read' },
} as const satisfies Record<string, { marks: string; key: MessageKey }>;

/** One message as the customer's phone shows it; the template and simulator.js draw the same fields. */
export interface Bubble {
  id: string;
  /** Sent by the customer (right, green) or to them (left). */
  mine: boolean;
  /** The day's label when this message is the first of its day in the chat. */
  dayBreak: string | null;
  time: string;
  /** Over the text: who typed it, when it was not the bot ("Dono da loja"). */
  label: string | null;
  /** A short description of what is not text (a photo, a shared contact, a vote). */
  note: string | null;
  /** The bot's image shown as itself (the weekly chart): where the page serves it, and its alt text. */
  image: { src: string; alt: string } | null;
  text: string | null;
  ticks: { status: 'sent' | 'delivered' | 'read'; marks: string; label: string } | null;
  poll: { id: string; multiple: boolean; options: { name: string; chosen: boolean }[] } | null;
}

interface Listed {
  phone: string;
  shown: string;
  name: string | null;
  at: number;
  when: string;
  preview: string;
}

/**
 * /simulator (Simulador, only with CHANNEL=simulator): the seller plays any
 * customer in a WhatsApp-like chat: writes, shares a contact, votes in the
 * bot's polls, and moves the simulated clock to see what the flows send.
 * GET /simulator/conversation gives the same chat as JSON for simulator.js,
 * which redraws it every 2 s; without JS, reloading the page does.
 */
export function simulatorPage(deps: PageDeps) {
  const { locale } = deps;
  const timezone = deps.config.timezone;
  const t = translator(locale);
  const dayFormat = new Intl.DateTimeFormat(locale, { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: timezone });
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: timezone });
  const day = (at: number) => dayFormat.format(at);
  const time = (at: number) => timeFormat.format(at);
  const dayAndTime = (at: number) => `${day(at)} ${time(at)}`;
  const plural = pluralizer(locale);
  /** "às 10:02" today, "sáb., 21/11/2026, às 09:00" another day. */
  const whenHeld = (at: number, now: number) => (day(at) === day(now) ? t('page.simulator.held_at_time', { time: time(at) }) : t('page.simulator.held_at_day', { day: day(at), time: time(at) }));
  const shownPhone = (e164: string) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

  return async function routes(app: FastifyInstance): Promise<void> {
    // Only the simulator has customers to play: with WhatsApp, /simulator does not exist (404).
    const { simulation } = deps;
    if (!simulation) return;
    const { phones: simulator, travel, refusal } = simulation;
    guardPages(app, deps);
    const { repos } = deps.route;
    const ownerPhones = new Set(deps.config.ownerPhones);
    const ownLabel = t('page.simulator.owner_you');
    const reportsDir = path.join(deps.config.dataDir, 'reports');

    /**
     * The file of the bot's image sent as outbox `row` (found by the message's id), when it is one of
     * fregues' own charts: the row names it, and it must still be a file inside DATA_DIR/reports
     * (links resolved) with an image's extension. Anything else: null. Whether the simulator took
     * that message is the caller's to know (the chat being drawn holds it; the image route asks).
     */
    function chartFile(row: OutboxRow | undefined): { file: string; type: string } | null {
      if (!row || row.content.kind !== 'image') return null;
      const type = IMAGE_TYPES[path.extname(row.content.file).toLowerCase()];
      if (type === undefined) return null;
      try {
        const file = fs.realpathSync(row.content.file);
        const inside = path.relative(fs.realpathSync(reportsDir), file);
        if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside) || !fs.statSync(file).isFile()) return null;
        return { file, type };
      } catch {
        return null;
      }
    }

    function readPhone(typed: unknown): { ok: true; e164: string } | { ok: false; typed: string; problem: string } {
      const text = typeof typed === 'string' ? typed : '';
      const result = normalizePhone(text, deps.config.defaultCountry);
      return result.ok ? { ok: true, e164: result.e164 } : { ok: false, typed: text, problem: t(`phone.${result.problem}`) };
    }

    /** What the phone shows for a message that is not plain text. */
    function describe(message: SimulatedMessage): { text: string | null; note: string | null } {
      const { content } = message;
      switch (content.kind) {
        case 'text':
          return { text: content.text, note: null };
        case 'image':
          return { text: content.caption, note: t('page.simulator.bot_image', { size: `${Math.max(1, Math.round(content.size / 1024))} KB` }) };
        case 'poll':
          return { text: content.question, note: t('page.simulator.poll') };
        case 'media':
          return { text: content.caption, note: t(`page.simulator.media.${content.mediaType}`) };
        case 'contacts':
          return {
            text: null,
            note: t('page.simulator.contact', {
              contacts: content.contacts.map((c) => [c.name, ...c.phones].filter((part) => part !== null && part !== '').join(' ')).join('; '),
            }),
          };
        case 'poll_vote':
          return {
            text: null,
            note: content.selectedOptions.length > 0 ? t('page.simulator.vote', { options: content.selectedOptions.join(', ') }) : t('page.simulator.vote_removed'),
          };
        case 'reaction':
          return { text: null, note: content.emoji === null ? t('page.simulator.reaction_removed') : t('page.simulator.reaction', { emoji: content.emoji }) };
        case 'edit':
          return { text: content.text, note: t('page.simulator.edited') };
        case 'delete':
          return { text: null, note: t('page.simulator.deleted') };
        case 'other':
          return { text: null, note: t('page.simulator.other', { type: content.type }) };
      }
    }

    function bubbles(phone: string): Bubble[] {
      const messages = simulator.conversation(phone);
      // A poll shows the customer's latest vote on it, as WhatsApp does.
      const votes = new Map<string, string[]>();
      for (const message of messages) {
        if (message.content.kind === 'poll_vote') votes.set(message.content.pollMessageId, message.content.selectedOptions);
      }
      let lastDay: string | null = null;
      return messages.map((message) => {
        const thisDay = day(message.at);
        const dayBreak = thisDay === lastDay ? null : thisDay;
        lastDay = thisDay;
        const { text, note: described } = describe(message);
        const content = message.content;
        const image =
          message.from === 'bot' && content.kind === 'image' && chartFile(repos.outbox.findByWaId(message.id))
            ? { src: `/simulator/image/${encodeURIComponent(message.id)}`, alt: t('page.simulator.chart_alt') }
            : null;
        // Shown as itself, the image needs no "🖼️ Image (28 KB)".
        const note = image ? null : described;
        const ticks = message.from === 'bot' ? { status: message.status, marks: TICKS[message.status].marks, label: t(TICKS[message.status].key) } : null;
        const chosen = votes.get(message.id) ?? [];
        const poll =
          message.from === 'bot' && content.kind === 'poll'
            ? { id: message.id, multiple: content.selectableCount !== 1, options: content.options.map((name) => ({ name, chosen: chosen.includes(name) })) }
            : null;
        return {
          id: message.id,
          mine: message.direction === 'in',
          dayBreak,
          time: time(message.at),
          label: message.from === 'owner' ? t('page.simulator.from_owner') : null,
          note,
          image,
          text,
          ticks,
          poll,
        };
      });
    }

    /** Changes when anything drawn changes (a new message, a tick); simulator.js redraws only then. */
    function versionOf(list: Bubble[]): string {
      const hash = createHash('sha1');
      for (const bubble of list) hash.update(`${bubble.id}\u0000${bubble.ticks?.status ?? ''}\u0000${bubble.dayBreak ?? ''}\u0001`);
      return hash.digest('base64url').slice(0, 16);
    }

    /** The record's customers with a phone and every phone the simulator talked to, most recent activity first. */
    function conversations(): Listed[] {
      const byPhone = new Map<string, Listed>();
      const entry = (phone: string): Listed => {
        let listed = byPhone.get(phone);
        if (!listed) {
          listed = { phone, shown: shownPhone(phone), name: null, at: 0, when: '', preview: '' };
          byPhone.set(phone, listed);
        }
        return listed;
      };
      for (const customer of repos.customers.list({ limit: CUSTOMERS_LISTED })) {
        if (customer.phone === null) continue;
        const listed = entry(customer.phone);
        listed.name = customer.name;
        listed.at = Math.max(listed.at, customer.updatedAt);
      }
      for (const phone of simulator.phones()) {
        const last = simulator.conversation(phone).at(-1);
        if (!last) continue;
        const listed = entry(phone);
        listed.at = Math.max(listed.at, last.at);
        const { text, note } = describe(last);
        const preview = text ?? note ?? '';
        listed.preview = preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS - 1)}…` : preview;
      }
      const today = day(deps.route.clock.now());
      return [...byPhone.values()]
        .sort((a, b) => b.at - a.at || a.phone.localeCompare(b.phone))
        .map((listed) => ({ ...listed, name: ownerPhones.has(listed.phone) ? ownLabel : listed.name, when: listed.at === 0 ? '' : day(listed.at) === today ? time(listed.at) : day(listed.at) }));
    }

    interface PageInput {
      phone?: string | null;
      /** What the seller typed in "Conversar como" (kept on a refused form). */
      typedPhone?: string;
      name?: string;
      text?: string;
      contactName?: string;
      contactPhone?: string;
      error?: string | null;
      jumped?: { span: string; sent: number } | null;
      /** After a jump: when the queue could send next (the end of the pause between sends). */
      next?: number | null;
      /** Seconds the clock moved for the bot's answers to go. */
      waited?: number | null;
    }

    function page(input: PageInput) {
      const phone = input.phone ?? null;
      const customer = phone ? repos.customers.findByPhone(phone) : undefined;
      const list = phone ? bubbles(phone) : [];
      const nextInQueue = travel ? repos.outbox.nextNotBefore() : null;
      return {
        title: t('page.title.simulator'),
        nav: '/simulator',
        phone,
        shownPhone: phone ? shownPhone(phone) : null,
        // The owner's own number (OWNER_PHONE): the chat where the alerts and the weekly summary arrive.
        who: phone && ownerPhones.has(phone) ? ownLabel : (customer?.name ?? (input.name?.trim() || null)),
        name: input.name ?? '',
        typedPhone: input.typedPhone ?? (phone ? shownPhone(phone) : ''),
        text: input.text ?? '',
        contactName: input.contactName ?? '',
        contactPhone: input.contactPhone ?? '',
        bubbles: list,
        version: versionOf(list),
        conversations: conversations(),
        error: input.error ?? null,
        jumped: input.jumped ? t('page.simulator.jumped', input.jumped) : null,
        held: input.jumped ? heldText(input.next ?? null) : null,
        waited: input.waited ? t('page.simulator.waited', { seconds: input.waited }) : null,
        notOpen: simulator.state === 'open' ? null : t('page.simulator.not_open', { state: t(`whatsapp.state.${simulator.state}`) }),
        clock: travel
          ? {
              now: t('page.simulator.now', { now: dayAndTime(travel.now()) }),
              jumps: (Object.keys(JUMPS) as Jump[]).map((value) => ({ value, label: t(JUMP_LABELS[value]) })),
              queue: nextInQueue !== null && nextInQueue > travel.now() ? t('page.simulator.queue_next', { at: dayAndTime(nextInQueue) }) : null,
            }
          : null,
        maxText: MAX_TEXT,
        maxName: MAX_NAME,
      };
    }

    /**
     * After a jump, what was due by now and did not go, and why ("2 esperando o intervalo entre envios
     * (próxima às 10:02)"): the messages of the queue as they are now.
     */
    function heldText(sendAt: number | null): string | null {
      const now = deps.route.clock.now();
      const groups = groupHeld(repos.outbox.list({ status: 'queued', limit: HELD_ROWS_READ }), now, sendAt);
      if (groups.length === 0) return null;
      const list = groups.map(({ why, count, nextAt }) => {
        const what = plural(`count.held_${why}`, count);
        return nextAt === null ? what : t('page.simulator.held_next', { what, at: whenHeld(nextAt, now) });
      });
      return t('page.simulator.held', { list: list.join('; ') });
    }

    const waitedQuery = (ms: number): Record<string, string> => (ms > 0 ? { waited: String(Math.round(ms / 1000)) } : {});
    const refuse = (reply: FastifyReply, input: PageInput) => renderPage(reply.status(400), deps, 'simulator', page(input));
    const back = (reply: FastifyReply, phone: string | null, extra: Record<string, string> = {}) => {
      const query = new URLSearchParams({ ...(phone ? { phone } : {}), ...extra }).toString();
      // Back to the chat itself: on a phone it fills the screen from there.
      return reply.redirect(`/simulator${query ? `?${query}` : ''}${phone ? '#sim-chat' : ''}`, 303);
    };

    /** After the customer's phone sent something: the bot's answer is sent before the page is drawn again (the page says if the clock moved for it). */
    const settle = () => simulation.settle();

    /** The simulator refusing what a real phone could not do (a vote on an unknown option...): said on the page. */
    function play(act: () => void): string | null {
      try {
        act();
        return null;
      } catch (error) {
        const refused = refusal(error);
        if (refused === null) throw error;
        return t('page.simulator.refused', { detail: refused });
      }
    }

    app.get<{ Querystring: { phone?: string; name?: string; jumped?: string; sent?: string; waited?: string; next?: string } }>('/simulator', async (request, reply) => {
      const { query } = request;
      const name = typeof query.name === 'string' ? query.name : '';
      const jumped = typeof query.jumped === 'string' && Object.hasOwn(JUMPS, query.jumped) && /^\d{1,6}$/.test(query.sent ?? '') ? { span: t(JUMP_LABELS[query.jumped as Jump]), sent: Number(query.sent) } : null;
      const waited = /^\d{1,6}$/.test(query.waited ?? '') && query.waited !== '0' ? Number(query.waited) : null;
      const next = /^\d{1,15}$/.test(query.next ?? '') ? Number(query.next) : null;
      if (query.phone === undefined || query.phone === '') return renderPage(reply, deps, 'simulator', page({ name, jumped, waited, next }));
      const phone = readPhone(query.phone);
      if (!phone.ok) return refuse(reply, { typedPhone: phone.typed, name, error: t('page.simulator.bad_phone', { detail: phone.problem }) });
      if (name.length > MAX_NAME) return refuse(reply, { typedPhone: phone.e164, name, error: t('page.simulator.name_too_long', { max: MAX_NAME }) });
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'simulator', page({ phone: phone.e164, name, jumped, waited, next }));
    });

    app.get<{ Querystring: { phone?: string } }>('/simulator/conversation', async (request, reply) => {
      const phone = readPhone(request.query.phone);
      if (!phone.ok) return reply.status(400).send({ error: { code: 'bad_phone', message: t('page.simulator.bad_phone', { detail: phone.problem }) } });
      const list = bubbles(phone.e164);
      return reply.header('cache-control', 'no-store').send({ phone: phone.e164, state: simulator.state, version: versionOf(list), bubbles: list });
    });

    /** Whether the simulator took the bot's image message `id`, sent as outbox `row` (in the chat of the number it went to). */
    function simulatorTook(id: string, row: OutboxRow | undefined): boolean {
      return row !== undefined && simulator.conversation(row.toPhone).some((message) => message.id === id && message.from === 'bot' && message.content.kind === 'image');
    }

    // An image the bot sent, for the chat's <img>: only fregues' own charts the simulator took.
    app.get<{ Params: { id: string } }>('/simulator/image/:id', async (request, reply) => {
      const row = repos.outbox.findByWaId(request.params.id);
      const image = simulatorTook(request.params.id, row) ? chartFile(row) : null;
      if (!image) return reply.status(404).send({ error: { code: 'not_found', message: t('page.simulator.image_missing') } });
      return reply.header('content-type', image.type).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(fs.readFileSync(image.file));
    });

    app.post<{ Body: { phone?: string; name?: string; text?: string } }>('/simulator/send', async (request, reply) => {
      const body = request.body ?? {};
      const phone = readPhone(body.phone);
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      const text = typeof body.text === 'string' ? body.text : '';
      if (!phone.ok) return refuse(reply, { typedPhone: phone.typed, name, text, error: t('page.simulator.bad_phone', { detail: phone.problem }) });
      const input = { phone: phone.e164, name, text };
      if (text.trim() === '') return refuse(reply, { ...input, error: t('page.simulator.empty_text') });
      if (text.length > MAX_TEXT) return refuse(reply, { ...input, error: t('page.simulator.text_too_long', { max: MAX_TEXT }) });
      if (name.length > MAX_NAME) return refuse(reply, { ...input, error: t('page.simulator.name_too_long', { max: MAX_NAME }) });
      const refused = play(() => simulator.receiveText(phone.e164, text, name === '' ? {} : { name }));
      if (refused) return refuse(reply, { ...input, error: refused });
      return back(reply, phone.e164, waitedQuery(await settle()));
    });

    app.post<{ Body: { phone?: string; contactName?: string; contactPhone?: string } }>('/simulator/contact', async (request, reply) => {
      const body = request.body ?? {};
      const phone = readPhone(body.phone);
      const contactName = typeof body.contactName === 'string' ? body.contactName.trim() : '';
      const typedContact = typeof body.contactPhone === 'string' ? body.contactPhone : '';
      if (!phone.ok) return refuse(reply, { typedPhone: phone.typed, contactName, contactPhone: typedContact, error: t('page.simulator.bad_phone', { detail: phone.problem }) });
      const input = { phone: phone.e164, contactName, contactPhone: typedContact };
      const contact = readPhone(typedContact);
      if (!contact.ok) return refuse(reply, { ...input, error: t('page.simulator.bad_contact_phone', { detail: contact.problem }) });
      if (contactName.length > MAX_NAME) return refuse(reply, { ...input, error: t('page.simulator.name_too_long', { max: MAX_NAME }) });
      const refused = play(() => simulator.receiveContacts(phone.e164, [{ name: contactName === '' ? null : contactName, phones: [contact.e164] }]));
      if (refused) return refuse(reply, { ...input, error: refused });
      return back(reply, phone.e164, waitedQuery(await settle()));
    });

    app.post<{ Body: { phone?: string; poll?: string; option?: string | string[] } }>('/simulator/vote', async (request, reply) => {
      const body = request.body ?? {};
      const phone = readPhone(body.phone);
      if (!phone.ok) return refuse(reply, { typedPhone: phone.typed, error: t('page.simulator.bad_phone', { detail: phone.problem }) });
      const options = body.option === undefined ? [] : Array.isArray(body.option) ? body.option : [body.option];
      const poll = typeof body.poll === 'string' ? body.poll : '';
      const refused = play(() => simulator.receivePollVote(phone.e164, poll, options.map(String)));
      if (refused) return refuse(reply, { phone: phone.e164, error: refused });
      return back(reply, phone.e164, waitedQuery(await settle()));
    });

    if (travel) {
      app.post<{ Body: { advance?: string; phone?: string } }>('/simulator/clock', async (request, reply) => {
        const body = request.body ?? {};
        const phone = body.phone === undefined || body.phone === '' ? null : readPhone(body.phone);
        if (phone && !phone.ok) return refuse(reply, { typedPhone: phone.typed, error: t('page.simulator.bad_phone', { detail: phone.problem }) });
        const e164 = phone?.ok ? phone.e164 : null;
        const advance = body.advance;
        if (typeof advance !== 'string' || !Object.hasOwn(JUMPS, advance)) return refuse(reply, { phone: e164, error: t('page.simulator.bad_advance') });
        const result = await travel.travel(travel.now() + JUMPS[advance as Jump]);
        // The end of the pause between sends, for the page to say when the due messages still queued go.
        const next: Record<string, string> = result.sendAt !== null && result.sendAt > result.now ? { next: String(result.sendAt) } : {};
        return back(reply, e164, { jumped: advance, sent: String(result.sent), ...next });
      });
    }
  };
}
