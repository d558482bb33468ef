import type { z } from 'zod';
import type { Validated } from '../../domain/validation.js';
import type { Locale } from '../../i18n/index.js';
import { translate } from '../../i18n/index.js';
import type { IntakeContext } from '../../intake/fields.js';
import type { Enroll } from '../../intake/record-purchase.js';
import type { FlowRunner } from '../../scheduler/flow-runner.js';
import { validate } from '../../intake/validate.js';
import type { Clock } from '../../scheduler/clock.js';
import type { GroupCommit } from '../../storage/group-commit.js';
import type { Repositories } from '../../storage/repositories/index.js';
import { HttpError } from '../errors.js';

/** What every /api route needs, handed down from buildApp. */
export interface RouteContext {
  repos: Repositories;
  /** Shares one commit among the writes of an event-loop turn (hot write paths). */
  writes: GroupCommit;
  /** Resolves once what the channel reported so far is stored (its writes share a group commit too). */
  trafficStored: () => Promise<void>;
  clock: Clock;
  intake: IntakeContext;
  /** The flows, when the service runs them (tests of intake alone may leave them out). */
  flows?: { enroll: Enroll; runner: FlowRunner } | undefined;
  locale: Locale;
}

/** Validates or answers 400 with every problem and its path ("query." and "params." name where it was). */
export function parseOrReject<S extends z.ZodType>(
  schema: S,
  input: unknown,
  locale: Locale,
  where: 'body' | 'query' | 'params' = 'body',
): z.output<S> {
  return accepted(validate(schema, input, locale, where === 'body' ? [] : [where]), locale);
}

/** The value of a validation that succeeded, or the 400 that lists its problems. */
export function accepted<T>(result: Validated<T>, locale: Locale): T {
  if (result.ok) return result.value;
  throw new HttpError(400, 'validation_failed', translate(locale, 'error.validation_failed'), result.issues);
}
