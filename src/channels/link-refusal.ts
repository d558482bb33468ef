/**
 * Why a channel refused to link the shop's number as asked (a pairing code, a
 * scan, a typed code). Channels throw it as a code; the pages and the API say it
 * in the seller's language from the catalogue (`link.refused.<reason>`), as they
 * do with the channel's state and its details.
 */
export const LINK_REFUSALS = ['already_linked', 'not_linking', 'no_pairing_code', 'wrong_pairing_code'] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

/** A refusal to link: `linkRefusal` is the reason; the message is for logs and developers. */
export class LinkRefusedError extends Error {
  override readonly name = 'LinkRefusedError';
  constructor(
    readonly linkRefusal: LinkRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** The reason when `error` is a refusal to link (any error carrying a known `linkRefusal`), otherwise null. */
export function linkRefusalOf(error: unknown): LinkRefusal | null {
  if (typeof error !== 'object' || error === null || !('linkRefusal' in error)) return null;
  const reason = error.linkRefusal;
  return LINK_REFUSALS.find((known) => known === reason) ?? null;
}
