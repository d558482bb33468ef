/**
 * JSON Schemas of the answers on hot routes: Fastify serializes with them
 * (fast-json-stringify), and they state the shape docs/api.md documents.
 */
const nullable = (type: 'string' | 'integer') => ({ type: [type, 'null'] });

export const customerSchema = {
  type: 'object',
  required: ['id', 'phone', 'name', 'birthday', 'email', 'tags', 'consent', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    phone: nullable('string'),
    name: nullable('string'),
    birthday: nullable('string'),
    email: nullable('string'),
    tags: { type: 'array', items: { type: 'string' } },
    consent: {
      type: 'object',
      properties: {
        marketing: { type: 'string' },
        at: nullable('string'),
        source: nullable('string'),
        text: nullable('string'),
      },
    },
    optedOutAt: nullable('string'),
    whatsappJid: nullable('string'),
    handoffUntil: nullable('string'),
    automationPausedAt: nullable('string'),
    stopReview: {
      type: ['object', 'null'],
      properties: { at: { type: 'string' }, text: { type: 'string' } },
    },
    suppressedAt: nullable('string'),
    warmAt: nullable('string'),
    coldRefusedAt: nullable('string'),
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    erasedAt: nullable('string'),
  },
} as const;

export const purchaseSchema = {
  type: 'object',
  required: ['id', 'customerId', 'externalId', 'items', 'totalCents', 'currency', 'source', 'purchasedAt', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    customerId: { type: 'integer' },
    externalId: nullable('string'),
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sku: nullable('string'),
          name: { type: 'string' },
          quantity: { type: 'integer' },
          unitPriceCents: nullable('integer'),
        },
      },
    },
    totalCents: nullable('integer'),
    currency: { type: 'string' },
    source: { type: 'string' },
    purchasedAt: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

/** A flow run the purchase started. */
const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    flowId: { type: 'string' },
    flowVersion: { type: 'integer' },
    occurrence: { type: 'string' },
    wakeAt: { type: 'string' },
  },
} as const;

/** The click-to-chat link and code of a purchase; null while the shop's number is not known. */
const optInSchema = {
  type: ['object', 'null'],
  description: 'The link (wa.me with the shop number and a prefilled text naming the code) that lets the customer write first.',
  properties: { link: { type: 'string' }, code: { type: 'string' } },
} as const;

export const purchaseAnswerSchema = {
  type: 'object',
  properties: {
    customer: customerSchema,
    purchase: purchaseSchema,
    runs: { type: 'array', items: runSchema },
    optIn: optInSchema,
    suppressed: {
      type: 'object',
      description: 'Only when the number is on the suppression list: stored, but nothing automated is sent until the person writes VOLTAR.',
      properties: { since: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

/** A purchase without a phone, waiting for someone to write with its code. */
export const pendingAnswerSchema = {
  type: 'object',
  properties: {
    pending: { type: 'object', properties: { id: { type: 'integer' }, createdAt: { type: 'string' } } },
    optIn: optInSchema,
  },
} as const;
