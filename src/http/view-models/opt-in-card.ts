import QRCode from 'qrcode';
import { translator, type Locale } from '../../i18n/index.js';

/** The two sizes the card is laid out for: an A6 sheet, or the 72 mm a receipt printer's 80 mm paper prints. */
export const CARD_FORMATS = ['a6', 'receipt'] as const;
export type CardFormat = (typeof CARD_FORMATS)[number];

/** What the printable card shows: the shop's name, the QR of its click-to-chat link, one line of text, the code. */
export interface OptInCard {
  shopName: string;
  line: string;
  /** "Pedido #K7P2Q"; null on the shop's own card. */
  code: string | null;
  link: string;
  /** The QR as an SVG data address: sharp at any print size. */
  qr: string;
  format: CardFormat;
  /** The other format's address, to switch. */
  formats: { format: CardFormat; name: string; href: string; current: boolean }[];
}

export async function buildOptInCard(input: {
  locale: Locale;
  shopName: string;
  link: string;
  code: string | null;
  format: CardFormat;
  /** The page's address without `format`, e.g. "/card?purchase=12". */
  base: string;
}): Promise<OptInCard> {
  const t = translator(input.locale);
  const svg = await QRCode.toString(input.link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const join = input.base.includes('?') ? '&' : '?';
  return {
    shopName: input.shopName,
    line: t(input.code === null ? 'page.card.line_shop' : 'page.card.line'),
    code: input.code === null ? null : t('page.card.code', { code: input.code }),
    link: input.link,
    qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    format: input.format,
    formats: CARD_FORMATS.map((format) => ({
      format,
      name: t(`page.card.format_${format}`),
      href: format === 'a6' ? input.base : `${input.base}${join}format=${format}`,
      current: format === input.format,
    })),
  };
}
