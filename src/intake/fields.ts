import { z } from 'zod';
import { normalizeTag } from '../domain/customer.js';
import { parseBirthday } from '../domain/dates.js';
import { cleanText } from '../domain/text.js';
import { normalizePhone, type CountryCode, type PhoneResult } from '../domain/phone.js';
import { type Locale, translator } from '../i18n/index.js';
import type { Clock } from '../scheduler/clock.js';
import { strictObject } from './validate.js';

/** What field validation depends on: the seller's language, country, currency and the time. */
export { cleanText };

export interface IntakeContext {
  locale: Locale;
  defaultCountry: CountryCode;
  currency: string;
  clock: Clock;
}

export const CONSENT_LIMITS = { source: 100, text: 2000 } as const;
export const EMAIL_MAX = 254;

/** A phone as given (text, or digits as a number) to E.164. */
export function readPhone(value: string | number, ctx: IntakeContext): PhoneResult {
  return normalizePhone(String(value), ctx.defaultCountry);
}

export function fields(ctx: IntakeContext) {
  const t = translator(ctx.locale);

  const text = (max: number) =>
    z
      .string()
      .transform(cleanText)
      .pipe(
        z
          .string()
          .min(1, t('text.empty'))
          .max(max, t('text.too_long', { max })),
      );

  const phone = z.union([z.string(), z.number().int().nonnegative()]).transform((value, issue) => {
    const result = readPhone(value, ctx);
    if (result.ok) return result.e164;
    issue.addIssue({ code: 'custom', message: t(`phone.${result.problem}`), input: value });
    return z.NEVER;
  });

  const birthday = z.string().transform((value, issue) => {
    const result = parseBirthday(value, new Date(ctx.clock.now()));
    if (result.ok) return result.value;
    issue.addIssue({ code: 'custom', message: t(`date.${result.problem}`), input: value });
    return z.NEVER;
  });

  const email = z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email(t('email.invalid')).max(EMAIL_MAX, t('text.too_long', { max: EMAIL_MAX })));

  const tags = z
    .array(z.string())
    .max(50)
    .transform((values, issue) => {
      const normalized: string[] = [];
      values.forEach((value, index) => {
        const tag = normalizeTag(value);
        if (tag === undefined) issue.addIssue({ code: 'custom', message: t('tag.invalid'), path: [index], input: value });
        else if (!normalized.includes(tag)) normalized.push(tag);
      });
      return normalized;
    });

  /** Consent as given; the caller names the default source (where the consent was collected). */
  const consent = strictObject(
    {
      marketing: z.boolean(),
      source: text(CONSENT_LIMITS.source).optional(),
      text: text(CONSENT_LIMITS.text).optional(),
    },
    ctx.locale,
  );

  return { text, phone, birthday, email, tags, consent, t, locale: ctx.locale };
}
