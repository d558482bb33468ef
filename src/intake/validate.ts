import { z } from 'zod';
import { formatPath, type FieldIssue, type Validated } from '../domain/validation.js';
import { translate, type Locale } from '../i18n/index.js';
import { zodErrorMap } from './zod-messages.js';

export function validate<S extends z.ZodType>(schema: S, input: unknown, locale: Locale, prefix: string[] = []): Validated<z.output<S>> {
  // Parsing with an error map is slower; valid input (the common case) does not need one.
  const fast = schema.safeParse(input);
  if (fast.success) return { ok: true, value: fast.data };
  const result = schema.safeParse(input, { error: zodErrorMap(locale) });
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
