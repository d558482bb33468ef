import { z } from 'zod';
import { formatPath, type FieldIssue, type Validated } from '../domain/validation.js';
import { translate, type Locale } from '../i18n/index.js';

const zodLocales = { 'pt-BR': z.locales.pt(), en: z.locales.en(), es: z.locales.es() } as const;

/** zod's messages in the seller's language, with "required" instead of "received undefined". */
function errorMap(locale: Locale): z.core.$ZodErrorMap {
  const base = zodLocales[locale].localeError;
  return (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return translate(locale, 'field.required');
    return base(issue);
  };
}

export function validate<S extends z.ZodType>(schema: S, input: unknown, locale: Locale, prefix: string[] = []): Validated<z.output<S>> {
  // Parsing with an error map is slower; valid input (the common case) does not need one.
  const fast = schema.safeParse(input);
  if (fast.success) return { ok: true, value: fast.data };
  const result = schema.safeParse(input, { error: errorMap(locale) });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toFieldIssues(result.error, prefix) };
}

function toFieldIssues(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** An object that rejects unknown keys and names the accepted ones, so a typo is easy to see. */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape, locale: Locale) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? translate(locale, 'object.unknown_keys', { keys: issue.keys.join(', '), allowed })
        : undefined,
  });
}
