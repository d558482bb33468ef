import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplateContext } from '../../src/flows/flow-types.js';
import { checkTemplate, findTemplateProblem, renderTemplate, renderWithLiquid, SAMPLE_CONTEXT } from '../../src/flows/render-template.js';

const empty: TemplateContext = {
  shop: { name: 'Loja da Bia', review_url: '' },
  customer: { name: '', first_name: '', phone: '+5521998765432', whatsapp_link: '', email: '', tags: [] },
  purchase: { external_id: '', total: '', currency: '', items: [], products: '', purchased_at: '' },
  answer: { value: '', comment: '' },
};

describe('renderTemplate', () => {
  it.each([
    ['Oi {{ customer.first_name }}!', 'Oi Ana!'],
    ['{{ customer.first_name | default: "tudo bem" }}', 'Ana'],
    ['{{ customer.name | upcase }}', 'ANA SOUZA'],
    ['{{ purchase.items | map: "name" | join: ", " }}', 'Café especial 250 g, Coador de pano'],
    ['{{ purchase.items.size }} itens', '2 itens'],
    ['{{ purchase.items.first.sku }}', 'CAFE-250'],
    ['{% for item in purchase.items %}{{ item.quantity }}x {{ item.name }};{% endfor %}', '2x Café especial 250 g;1x Coador de pano;'],
    ['{% if customer.tags contains "vip" %}VIP{% endif %}', 'VIP'],
    ['{{ answer.comment | truncate: 10 }}', 'a entre...'],
  ])('renders %j', (template, expected) => {
    expect(renderTemplate(template, SAMPLE_CONTEXT)).toBe(expected);
  });

  it('formats dates with the date filter', () => {
    // The day depends on the machine's time zone; the format does not.
    expect(renderTemplate('{{ purchase.purchased_at | date: "%d/%m/%Y" }}', SAMPLE_CONTEXT)).toMatch(/^(19|20|21)\/11\/2026$/);
  });

  it('shows dates in the shop\'s time zone when given one, whatever the machine\'s', () => {
    const late = { ...SAMPLE_CONTEXT, purchase: { ...SAMPLE_CONTEXT.purchase, purchased_at: '2026-11-20T01:30:00.000Z' } };
    const template = '{{ purchase.purchased_at | date: "%d/%m %H:%M" }}';
    expect(renderTemplate(template, late, 'America/Sao_Paulo')).toBe('19/11 22:30');
    expect(renderTemplate(template, late, 'Asia/Tokyo')).toBe('20/11 10:30');
    // The same template again: each zone keeps its own parsed copy.
    expect(renderTemplate(template, late, 'America/Sao_Paulo')).toBe('19/11 22:30');
  });

  it('does not escape HTML: these are WhatsApp texts', () => {
    const context = { ...SAMPLE_CONTEXT, customer: { ...SAMPLE_CONTEXT.customer, first_name: 'Ana & <Bia> "Zé"' } };
    expect(renderTemplate('<b>{{ customer.first_name }}</b> & *negrito*', context)).toBe('<b>Ana & <Bia> "Zé"</b> & *negrito*');
  });

  it('treats an empty text as false and gives defaults for empty values', () => {
    expect(renderTemplate('{% if answer.comment %}com{% else %}sem{% endif %} comentário', empty)).toBe('sem comentário');
    expect(renderTemplate('Oi {{ customer.first_name | default: "tudo bem" }}', empty)).toBe('Oi tudo bem');
  });

  it('renders a value missing at send time as empty instead of failing the message', () => {
    expect(renderTemplate('[{{ purchase.items.first.name }}]', empty)).toBe('[]');
    expect(renderTemplate('[{{ purchase.items[3].name }}]', SAMPLE_CONTEXT)).toBe('[]');
  });

  it('never reads prototype properties', () => {
    expect(renderTemplate('[{{ customer.constructor }}{{ shop.__proto__ }}]', SAMPLE_CONTEXT)).toBe('[]');
  });

  it('cannot include files', () => {
    expect(() => renderTemplate('{% include "package.json" %}', SAMPLE_CONTEXT)).toThrow();
  });

  // Plain names are filled in without Liquid (it costs more than the rest of a reply): always to the same text.
  it('gives the text Liquid gives, with or without its shortcut for plain names', () => {
    const names = [
      'customer.first_name', 'customer.name', 'shop.name', 'answer.comment', 'purchase.total', 'purchase.products',
      // Not text, missing, prototype, or Liquid's own properties: Liquid decides.
      'customer.tags', 'purchase.items', 'customer.tags.size', 'purchase.items.first.name', 'customer.nickname', 'shop.constructor',
      'customer.__proto__', 'nil', 'empty', 'true', 'customer', 'answer.value.size',
    ];
    const output = fc
      .tuple(fc.constantFrom(...names), fc.constantFrom('', ' ', '  ', '\n'), fc.constantFrom('', ' ', '\t'), fc.constantFrom('', '', '', ' | upcase', ' | default: "x"', '-'))
      .map(([name, before, after, extra]) => (extra === '-' ? `{{- ${name} -}}` : `{{${before}${name}${extra}${after}}}`));
    const text = fc.oneof(
      fc.string({ maxLength: 12 }).filter((value) => !value.includes('{{') && !value.includes('{%')),
      fc.constantFrom('Oi ', '! 💚 ', '{ ', '} ', '}}', '{', ' {x} ', 'á\u0301', '*negrito*', '{% if true %}sim{% endif %}', '{{ "literal" }}'),
    );
    const template = fc.array(fc.oneof(text, output), { maxLength: 8 }).map((parts) => parts.join(''));
    const value = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('Ana', 'Zé & <Bia>', '{{ shop.name }}', '$&', ''));
    const context = fc.record({ first_name: value, name: value, shop: value, comment: value, total: value }).map(
      ({ first_name, name, shop, comment, total }): TemplateContext => ({
        ...SAMPLE_CONTEXT,
        shop: { name: shop, review_url: '' },
        customer: { ...SAMPLE_CONTEXT.customer, first_name, name },
        purchase: { ...SAMPLE_CONTEXT.purchase, total },
        answer: { value: '9', comment },
      }),
    );
    fc.assert(
      fc.property(template, context, (source, ctx) => {
        let liquid: string | Error;
        try {
          liquid = renderWithLiquid(source, ctx, 'America/Sao_Paulo');
        } catch (error) {
          liquid = error as Error;
        }
        if (liquid instanceof Error) expect(() => renderTemplate(source, ctx, 'America/Sao_Paulo')).toThrow();
        else expect(renderTemplate(source, ctx, 'America/Sao_Paulo')).toBe(liquid);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('checkTemplate', () => {
  it('accepts every template the shipped flows use', () => {
    for (const template of [
      'Oi, {{ customer.first_name }}! Aqui é da {{ shop.name }} 😊 Obrigado pela compra de {{ purchase.products }}.',
      '⚠️ {{ customer.name }} ({{ customer.phone }}) deu nota {{ answer.value }}{% if answer.comment %}: "{{ answer.comment }}"{% endif %}.',
      '{{ customer.email }} {{ customer.tags | join: "," }} {{ purchase.external_id }} {{ purchase.total }} {{ purchase.currency }} {{ purchase.purchased_at }}',
      '{% assign nome = customer.first_name | default: "cliente" %}Oi {{ nome }}',
      '{% case answer.value %}{% when "10" %}Uau{% else %}Obrigado{% endcase %}',
      '{% raw %}{{ isto fica como está }}{% endraw %}',
      '{{ customer[\'first_name\'] }}',
    ]) {
      expect(checkTemplate(template), template).toBeNull();
    }
  });

  it.each([
    ['{{ customer.nome }}', 'variável desconhecida: customer.nome; use customer.name, customer.first_name, customer.phone, customer.whatsapp_link, customer.email, customer.tags'],
    ['{{ cliente.nome }}', 'variável desconhecida: cliente; use shop, customer, purchase, answer, reward'],
    ['{% if x %}a{% endif %}', 'variável desconhecida: x; use shop, customer, purchase, answer, reward'],
    ['{{ purchase.items.first.nome }}', 'variável desconhecida: purchase.items.first.nome; use purchase.items.first.sku, purchase.items.first.name, purchase.items.first.quantity'],
    ['{{ purchase.items.length }}', 'variável desconhecida: purchase.items.length; use purchase.items.size, purchase.items.first, purchase.items.last'],
    ['{{ customer.constructor }}', 'variável desconhecida: customer.constructor; use customer.name, customer.first_name, customer.phone, customer.whatsapp_link, customer.email, customer.tags'],
    ['{% for item in purchase.items %}{{ item.nome }}{% endfor %}', 'variável desconhecida: item.nome'],
    ['{{ customer.first_name | maiusculas }}', 'filtro desconhecido: maiusculas (veja os filtros em docs/flows.md)'],
    ['{% include "x" %}', 'tag Liquid desconhecida ou não permitida: include'],
    ['{% fala %}', 'tag Liquid desconhecida ou não permitida: fala'],
    ['Oi {{ customer.first_name ', 'faltou fechar "{{ customer.first_name ": um {{ termina com }}, e um {% if %} com {% endif %}'],
    ['{% if customer.name %}oi', 'faltou fechar {% if customer.name %}: um {{ termina com }}, e um {% if %} com {% endif %}'],
  ])('rejects %j', (template, reason) => {
    expect(checkTemplate(template)).toBe(reason);
  });

  it('checks the branches that the sample does not render', () => {
    expect(checkTemplate('{% if answer.value == "0" %}{{ customer.nome }}{% endif %}')).toContain('customer.nome');
  });

  it('speaks the seller’s language', () => {
    expect(checkTemplate('{{ customer.nome }}', 'en')).toMatch(/^unknown variable: customer.nome; use /);
    expect(checkTemplate('{{ customer.nome }}', 'es')).toMatch(/^variable desconocida: customer.nome; use /);
  });

  it('stops a template that would run away', () => {
    expect(findTemplateProblem('{% for i in (1..100000000) %}x{% endfor %}')).toMatchObject({ kind: 'render' });
  });

  it('has a sample context with a value for every name', () => {
    expect(SAMPLE_CONTEXT.purchase.items.length).toBeGreaterThan(0);
    expect(SAMPLE_CONTEXT.customer.tags.length).toBeGreaterThan(0);
    expect(Object.isFrozen(SAMPLE_CONTEXT.customer)).toBe(true);
  });
});
