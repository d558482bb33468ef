/**
 * A flow text as a sample customer would get it, checked and rendered by the
 * loader's own renderer (render-template.ts), and the Liquid names a text may
 * use, taken from the same sample so the list never drifts from what loads.
 */
import { checkTemplate, renderTemplate, SAMPLE_CONTEXT } from '../../flows/render-template.js';
import type { TemplateContext } from '../../flows/flow-types.js';
import { translate, type Locale } from '../../i18n/index.js';

export type Preview = { ok: true; text: string } | { ok: false; error: string };

/** The longest text previewed: far past any WhatsApp message a flow sends. */
export const MAX_PREVIEW_CHARS = 5000;

/** The sample context with the shop's own name. */
export function sampleContext(shopName: string): TemplateContext {
  return { ...SAMPLE_CONTEXT, shop: { ...SAMPLE_CONTEXT.shop, name: shopName } };
}

/** The text for the sample customer, or the loader's error for it (the same words `flows check` prints). */
export function previewText(template: string, options: { locale: Locale; shopName: string; timeZone: string }): Preview {
  const problem = checkTemplate(template, options.locale);
  if (problem !== null) return { ok: false, error: problem };
  try {
    return { ok: true, text: renderTemplate(template, sampleContext(options.shopName), options.timeZone) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Every name a text may use, as `{{ name }}` inserts it: the sample's texts and lists of texts. */
export function liquidNames(): string[] {
  const names: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string' || typeof value === 'number') names.push(path);
    else if (Array.isArray(value)) {
      if (value.every((item) => typeof item === 'string')) names.push(path);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(SAMPLE_CONTEXT, '');
  return names;
}

const NOTICES = ['saved', 'restored', 'on', 'off', 'created'] as const;

/**
 * The line a flow's page shows after the editor wrote its file (the redirect's
 * `notice` and `version`): "Salvo: versão 3, já em uso", or, when the service
 * cannot load flows again by itself, that a restart applies it.
 */
export function flowNotice(query: unknown, locale: Locale): string | null {
  const fields = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const notice = typeof fields.notice === 'string' ? fields.notice : '';
  const version = typeof fields.version === 'string' && /^\d{1,9}$/.test(fields.version) ? fields.version : null;
  const [kind, restart] = notice.split('-');
  if (version === null || !(NOTICES as readonly string[]).includes(kind ?? '') || (restart !== undefined && restart !== 'restart')) return null;
  const text = translate(locale, `page.flow_edit.notice.${kind as (typeof NOTICES)[number]}`, { version });
  return restart === undefined ? text : `${text} ${translate(locale, 'page.flow_edit.notice.restart')}`;
}
