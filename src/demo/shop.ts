/**
 * The demo's shop: a small coffee roaster with a few dozen customers, eight
 * weeks of purchases and the replies its customers gave. Every name and number
 * is made up (the numbers are in the 11 9xxxx range of São Paulo, none is
 * anyone's on purpose; the simulator sends nothing anywhere).
 */

export const DEMO_SHOP = { name: 'Café da Serra', owner: '+5511900001111' } as const;

/**
 * WhatsApp's quota of new chats the demo opens with, as a shop a few weeks
 * into its number would see it on Conectar and the Painel: 50 a day, 18 used
 * in the day's cycle so far (well below the first warning at 40).
 */
export const DEMO_NEW_CHAT_QUOTA = { total: 50, used: 18 } as const;

export interface DemoProduct {
  sku: string;
  name: string;
  price: string;
}

export const PRODUCTS: Record<string, DemoProduct> = {
  cafe: { sku: 'CAFE-250', name: 'Café especial 250 g', price: '39.90' },
  graos: { sku: 'CAFE-1KG', name: 'Café em grãos 1 kg', price: '129.90' },
  prensa: { sku: 'PRENSA-600', name: 'Prensa francesa 600 ml', price: '149.00' },
  filtro: { sku: 'FILTRO-103', name: 'Filtro de papel 103', price: '12.90' },
  caneca: { sku: 'CANECA-SERRA', name: 'Caneca Serra', price: '45.00' },
};

/**
 * What a customer does when the bot asks: `nps` is their answer to the survey
 * (a score, a score with a comment, or words), `referral` the contact they
 * share when asked for one, `optOut` the day they send SAIR. Undefined: they
 * never answer that question.
 */
export interface DemoPersona {
  name: string;
  phone: string;
  birthday?: string;
  /** Days before the demo's start of each purchase, with the products bought. */
  purchases: { daysAgo: number; products: (keyof typeof PRODUCTS)[] }[];
  nps?: string;
  referral?: { name: string; phone: string };
  /** Sends this after the first message they get (a question to the shop). */
  question?: string;
  optOut?: boolean;
  /** Their answer to the demo's campaign, when they get it. */
  campaignReply?: string;
}

/** The seller's own segments in the demo (POST /api/segments), saved when the campaign goes out. */
export const DEMO_SEGMENTS = [
  { name: 'Compraram a prensa', filters: { products: ['PRENSA-*'] } },
  { name: 'Promotores', filters: { nps: 'promoter' } },
] as const;

/**
 * The campaign the demo shows finished: sent to a built-in segment four weeks before the demo's
 * "now", in two variants (a fixed seed: the same split every time), with some replies and purchases
 * within its 7 days (the personas' `campaignReply` and purchases). `recognize` tells its messages.
 */
export const DEMO_CAMPAIGN = {
  daysAgo: 28,
  recognize: /café da estação/,
  body: {
    name: 'Café da estação',
    segment: 'novos',
    variants: [
      { text: 'Oi, {{ customer.first_name }}! Chegou o café da estação na {{ shop.name }}: torra média, notas de chocolate. Quer que a gente separe um pacote pra você?' },
      { text: '{{ customer.first_name }}, o café da estação chegou ☕ Só 40 pacotes, torra média. Responda QUERO que a gente separa o seu.' },
    ],
    attributionDays: 7,
    seed: 21,
  },
} as const;

export const PERSONAS: DemoPersona[] = [
  { name: 'Ana Souza', phone: '+5511912340001', birthday: '1988-03-14', purchases: [{ daysAgo: 54, products: ['cafe', 'filtro'] }, { daysAgo: 20, products: ['cafe'] }], nps: '10', referral: { name: 'Paula Souza', phone: '+5511912349001' } },
  { name: 'Bruno Lima', phone: '+5511912340002', purchases: [{ daysAgo: 52, products: ['prensa'] }], nps: '9 adorei a prensa' },
  { name: 'Carla Dias', phone: '+5511912340003', purchases: [{ daysAgo: 50, products: ['graos'] }, { daysAgo: 12, products: ['graos', 'caneca'] }], nps: 'nota 8' },
  { name: 'Daniel Rocha', phone: '+5511912340004', purchases: [{ daysAgo: 47, products: ['cafe'] }], nps: '4, chegou atrasado e a embalagem veio amassada' },
  { name: 'Eduarda Martins', phone: '+5511912340005', purchases: [{ daysAgo: 45, products: ['caneca', 'cafe'] }], nps: '10!!', referral: { name: 'Fernanda Alves', phone: '+5511912349002' } },
  { name: 'Felipe Ramos', phone: '+5511912340006', purchases: [{ daysAgo: 43, products: ['filtro'] }], campaignReply: 'QUERO' },
  { name: 'Gabriela Nunes', phone: '+5511912340007', birthday: '1992-07-02', purchases: [{ daysAgo: 40, products: ['cafe'] }, { daysAgo: 9, products: ['cafe', 'filtro'] }], nps: '9' },
  { name: 'Henrique Castro', phone: '+5511912340008', purchases: [{ daysAgo: 38, products: ['graos'] }], nps: '7', question: 'Vocês entregam em Campinas?' },
  { name: 'Isabela Freitas', phone: '+5511912340009', purchases: [{ daysAgo: 36, products: ['prensa', 'cafe'] }, { daysAgo: 26, products: ['cafe', 'cafe'] }], nps: '10 melhor café que já tomei', campaignReply: 'Quero sim! Separa dois pra mim' },
  { name: 'João Pereira', phone: '+5511912340010', purchases: [{ daysAgo: 33, products: ['cafe'] }], optOut: true },
  { name: 'Karina Barbosa', phone: '+5511912340011', purchases: [{ daysAgo: 31, products: ['caneca'] }], nps: '6 a caneca é bonita mas pequena', campaignReply: 'Que delícia, vou querer um' },
  { name: 'Lucas Teixeira', phone: '+5511912340012', purchases: [{ daysAgo: 29, products: ['graos', 'filtro'] }, { daysAgo: 23, products: ['cafe'] }], nps: '9' },
  { name: 'Mariana Gomes', phone: '+5511912340013', purchases: [{ daysAgo: 26, products: ['cafe'] }], nps: 'nota 10', referral: { name: 'Rafael Gomes', phone: '+5511912349003' } },
  { name: 'Nicolas Araújo', phone: '+5511912340014', purchases: [{ daysAgo: 24, products: ['prensa'] }] },
  { name: 'Olívia Cardoso', phone: '+5511912340015', purchases: [{ daysAgo: 22, products: ['cafe', 'caneca'] }], nps: '8' },
  { name: 'Pedro Henrique Melo', phone: '+5511912340016', purchases: [{ daysAgo: 19, products: ['graos'] }], nps: '3 o café veio moído e eu pedi em grãos' },
  { name: 'Queila Ribeiro', phone: '+5511912340017', purchases: [{ daysAgo: 17, products: ['filtro', 'cafe'] }], nps: '10' },
  { name: 'Rodrigo Farias', phone: '+5511912340018', purchases: [{ daysAgo: 15, products: ['cafe'] }], nps: '9' },
  { name: 'Sofia Mendes', phone: '+5511912340019', purchases: [{ daysAgo: 13, products: ['prensa', 'filtro'] }], nps: '5', question: 'Como faço para trocar a prensa?' },
  { name: 'Thiago Moreira', phone: '+5511912340020', purchases: [{ daysAgo: 11, products: ['caneca'] }] },
  { name: 'Úrsula Campos', phone: '+5511912340021', purchases: [{ daysAgo: 8, products: ['graos'] }], nps: '10' },
  { name: 'Vinícius Duarte', phone: '+5511912340022', purchases: [{ daysAgo: 6, products: ['cafe'] }] },
  { name: 'Wesley Pinto', phone: '+5511912340023', purchases: [{ daysAgo: 4, products: ['cafe', 'caneca'] }] },
  { name: 'Yasmin Correia', phone: '+5511912340024', purchases: [{ daysAgo: 2, products: ['prensa'] }] },
];

/** The customer the newcomer plays: she buys just as the demo opens, so her whole journey is ahead. */
export const FEATURED: DemoPersona = { name: 'Marina Costa', phone: '+5511912340099', purchases: [{ daysAgo: 0, products: ['cafe', 'filtro'] }] };
