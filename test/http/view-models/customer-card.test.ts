import { describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.js';
import { translator } from '../../../src/i18n/index.js';
import { buildCustomerCard, buildCustomerRow } from '../../../src/http/view-models/customer-card.js';
import { describeEditProblems, fillEditForm, readEditForm } from '../../../src/http/view-models/customer-edit-form.js';
import { aCustomer } from '../../helpers/customer.js';

// The top of a customer's pages, their line in the list and the edit form, from data: no server.

/** Friday 20 November 2026, 10:00 in São Paulo. */
const T0 = Date.parse('2026-11-20T13:00:00Z');
const HOUR = 3_600_000;
const BR = { locale: 'pt-BR', timeZone: 'America/Sao_Paulo', country: 'BR' } as const;

const ana: Customer = aCustomer(
  {
    birthday: '1990-03-12',
    email: 'ana@exemplo.com',
    tags: ['vip', 'atacado'],
    consent: { marketing: 'granted', at: T0, source: 'checkout', text: null },
    handoffUntil: T0 + 2 * HOUR,
    automationPausedAt: T0 + HOUR,
    stopReview: { at: T0, text: 'para' },
  },
  T0,
);

describe('buildCustomerCard', () => {
  it('says the customer in words and local times; a handoff only while it lasts', () => {
    expect(buildCustomerCard(ana, BR, T0)).toEqual({
      id: 7,
      name: 'Ana',
      named: true,
      phone: '(11) 91234-5678',
      waLink: 'https://wa.me/5511912345678',
      email: 'ana@exemplo.com',
      birthday: '12 de março de 1990',
      tags: ['vip', 'atacado'],
      marketing: 'aceitou',
      optedOut: null,
      handoffUntil: '20/11/2026, 12:00',
      pausedAt: '20/11/2026, 11:00',
      suppressed: null,
      stopReview: { at: '20/11/2026, 10:00', text: 'para' },
      since: '20/11/2026, 10:00',
      contact: 'ainda não escreveu para a loja',
      coldRefused: null,
    });
    expect(buildCustomerCard(ana, BR, T0 + 2 * HOUR).handoffUntil).toBeNull();
  });

  it('says since when a warm customer wrote to the shop, and when WhatsApp refused a cold message', () => {
    expect(buildCustomerCard({ ...ana, warmAt: T0 + HOUR }, BR, T0)).toMatchObject({ contact: 'escreveu para a loja em 20/11/2026, 11:00', coldRefused: null });
    expect(buildCustomerCard({ ...ana, coldRefusedAt: T0 + HOUR }, { ...BR, locale: 'es' }, T0)).toMatchObject({
      contact: 'todavía no escribió a la tienda',
      coldRefused: 'solo si escribe primero: WhatsApp rechazó un mensaje de la tienda a este número el 20/11/26, 11:00',
    });
  });

  it('names a customer without a name, and a birthday without its year, in the locale', () => {
    const nameless = { ...ana, name: null, birthday: '--03-12', phone: '+14155550100' };
    const card = buildCustomerCard(nameless, { locale: 'en', timeZone: 'America/New_York', country: 'BR' }, T0);
    expect([card.name, card.named, card.birthday, card.phone, card.since]).toEqual(['No name', false, 'March 12', '+1 415 555 0100', '11/20/26, 8:00 AM']);
    expect(buildCustomerRow(nameless, BR)).toEqual({ id: 7, name: 'Sem nome', named: false, phone: '+1 415 555 0100', tags: ['vip', 'atacado'], optedOut: false, paused: true });
  });
});

describe('the edit form', () => {
  it('is filled with what is stored, as the seller types it', () => {
    expect(fillEditForm(ana)).toEqual({ name: 'Ana', birthday: '12/03/1990', email: 'ana@exemplo.com', tags: 'vip, atacado' });
    expect(fillEditForm({ ...ana, name: null, birthday: '--03-12', email: null, tags: [] })).toEqual({ name: '', birthday: '12/03', email: '', tags: '' });
  });

  it('reads what was posted: an empty field clears it, tags split on commas', () => {
    expect(readEditForm({ name: ' ', birthday: '12/03', email: 42, tags: ' vip, ,atacado ' })).toEqual({
      form: { name: ' ', birthday: '12/03', email: '', tags: ' vip, ,atacado ' },
      input: { name: null, birthday: '12/03', email: null, tags: ['vip', 'atacado'] },
    });
  });

  it('says each problem with its field, quotes a bad tag, and keeps the first problem of each field', () => {
    const input = { name: null, birthday: null, email: 'x', tags: ['ok', 'ruim'] };
    const issues = [
      { path: 'email', message: 'e-mail inválido' },
      { path: 'email', message: 'outro' },
      { path: 'tags.1', message: 'etiqueta inválida' },
      { path: '', message: 'nada a mudar' },
    ];
    expect(describeEditProblems(issues, input, translator('pt-BR'))).toEqual({
      errors: [
        { field: 'email', label: 'E-mail', message: 'e-mail inválido' },
        { field: 'email', label: 'E-mail', message: 'outro' },
        { field: 'tags', label: 'Etiquetas', message: '“ruim”: etiqueta inválida' },
        { field: null, label: '', message: 'nada a mudar' },
      ],
      fieldErrors: { email: 'e-mail inválido', tags: '“ruim”: etiqueta inválida' },
    });
  });
});
