import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { translator } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import { REWARD_KINDS, type ConfigureResult, type RewardInput, type RewardKind, type RewardSetting } from '../../storage/repositories/rewards.js';
import { apiSchema } from '../openapi.js';
import { parseOrReject, type RouteContext } from './context.js';

const MAX_CODES = 10_000;
const CODE = /^\S{1,64}$/u;

/**
 * /api/rewards (issue 21): the seller's referral and loyalty rewards, each a
 * list of coupon codes (given once each, in the order pasted) or a fixed text.
 */
export function rewardRoutes(ctx: RouteContext) {
  const t = translator(ctx.locale);
  // null clears; { codes } (a list, or the pasted text: one code per line, or separated by commas) or { text }.
  const setting = z.unknown().transform((value, issue): RewardInput => {
    if (value === null) return null;
    const fail = (message: string, path: (string | number)[] = []): never => {
      issue.addIssue({ code: 'custom', message, path });
      return z.NEVER;
    };
    if (typeof value !== 'object' || Array.isArray(value)) return fail(t('rewards.api.codes_or_text'));
    const keys = Object.keys(value);
    const given = value as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'text') {
      const text = typeof given.text === 'string' ? given.text.trim() : '';
      return text.length >= 1 && text.length <= 300 ? { text } : fail(t('rewards.api.codes_or_text'), ['text']);
    }
    if (keys.length !== 1 || keys[0] !== 'codes') return fail(t('rewards.api.codes_or_text'));
    const raw = given.codes;
    const codes = typeof raw === 'string' ? raw.split(/[\s,;]+/u).filter((code) => code !== '') : raw;
    if (!Array.isArray(codes) || codes.length === 0 || codes.length > MAX_CODES) return fail(t('rewards.api.codes_or_text'), ['codes']);
    codes.forEach((code, index) => {
      if (typeof code !== 'string' || !CODE.test(code.trim())) fail(t('rewards.api.code_invalid'), ['codes', index]);
    });
    return { codes: (codes as string[]).map((code) => code.trim()) };
  });
  const body = strictObject({ referral: setting.optional(), loyalty: setting.optional() }, ctx.locale);

  const present = (kind: RewardKind): Omit<RewardSetting, 'kind'> => {
    const { kind: _kind, ...rest } = ctx.repos.rewards.settingOf(kind);
    return rest;
  };
  const all = () => Object.fromEntries(REWARD_KINDS.map((kind) => [kind, present(kind)]));

  return async function routes(app: FastifyInstance): Promise<void> {
    const read = apiSchema({
      tag: 'rewards',
      summary: 'The referral and loyalty rewards, with the coupon codes left',
      description: 'Each of `referral` and `loyalty`: `{ mode: "codes" | "text" | "none", text, codesLeft: [the codes not given yet, in order], codesGiven, updatedAt }`.',
      response: { 200: '`{ referral, loyalty }`.' },
    });
    app.get('/rewards', { schema: read }, async () => all());

    const write = apiSchema({
      tag: 'rewards',
      summary: 'Set the referral and/or loyalty reward',
      description:
        'Body `{ referral?, loyalty? }`, each `{ codes: [..] }` (or the pasted text, one code per line), `{ text }` or `null` (no reward). ' +
        'Codes replace the ones not given yet; a code already given, or pasted twice, is left out and listed in `skipped`. A kind not named is left as it is.',
      body,
      response: { 200: '`{ referral, loyalty, skipped: { referral?: [{ code, reason: "already_given" | "repeated" }], loyalty?: [...] } }`.' },
    });
    app.put('/rewards', { schema: write }, async (request) => {
      const input = parseOrReject(body, request.body, ctx.locale);
      const now = ctx.clock.now();
      const skipped: Partial<Record<RewardKind, ConfigureResult['skipped']>> = {};
      ctx.repos.transaction(() => {
        for (const kind of REWARD_KINDS) {
          const setting = input[kind];
          if (setting === undefined) continue;
          const result = ctx.repos.rewards.configure(kind, setting, now);
          if (result.skipped.length > 0) skipped[kind] = result.skipped;
        }
      });
      return { ...all(), skipped };
    });
  };
}
