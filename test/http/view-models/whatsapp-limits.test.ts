import { describe, expect, it } from 'vitest';
import { NO_LIMITS_READ, type NewChatCap, type ReachoutLock, type WhatsAppLimits } from '../../../src/channels/channel.js';
import { buildWhatsAppLimits, limitsBanner, limitsState, lockInForce, presentLimits } from '../../../src/http/view-models/whatsapp-limits.js';
import { describeNewChatQuota } from '../../../src/reports/new-chat-quota.js';

// WhatsApp's limits as the seller reads them (Conectar, the Painel's card, the banner), from the
// values the channel read, given as data: no database, no server. Times as Baileys delivers them
// once converted (epoch ms); the shop in São Paulo (UTC−3).

const NOW = Date.parse('2026-11-20T15:00:00Z');
const SAO_PAULO = { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' } as const;

function cap(overrides: Partial<NewChatCap> = {}): NewChatCap {
  return {
    total: 50,
    used: 37,
    cycleStart: Date.parse('2026-11-12T03:00:00Z'),
    // Midnight of 13/12 in UTC is still 12/12 in São Paulo: the date the seller sees.
    cycleEnd: Date.parse('2026-12-13T00:30:00Z'),
    status: 'none',
    readAt: NOW - 60_000,
    ...overrides,
  };
}

function lock(overrides: Partial<ReachoutLock> = {}): ReachoutLock {
  return { active: true, endsAt: Date.parse('2026-11-21T18:30:00Z'), kind: 'BIZ_QUALITY', readAt: NOW - 60_000, ...overrides };
}

function limits(overrides: Partial<WhatsAppLimits> = {}): WhatsAppLimits {
  return { cap: cap(), lock: null, waVersion: '2.3000.1043857760', ...overrides };
}

describe('the quota sentence', () => {
  it('says how many new chats were used of how many, and the day the cycle renews in the shop’s zone', () => {
    expect(describeNewChatQuota(cap(), NOW, SAO_PAULO)).toBe('37 de 50 conversas novas usadas neste ciclo, renova em 12/12');
    expect(describeNewChatQuota(cap(), NOW, { locale: 'en', timeZone: 'America/Sao_Paulo' })).toBe('37 of 50 new chats used this cycle, renews on 12/12');
    expect(describeNewChatQuota(cap({ total: 1500, used: 1234 }), NOW, { locale: 'es', timeZone: 'Europe/Madrid' })).toBe(
      '1234 de 1500 conversaciones nuevas usadas en este ciclo, se renueva el 13/12',
    );
  });

  it('leaves the renewal out when WhatsApp gave no cycle end', () => {
    expect(describeNewChatQuota(cap({ cycleEnd: null }), NOW, SAO_PAULO)).toBe('37 de 50 conversas novas usadas neste ciclo');
  });

  it('says nothing without a total or a count, or once the cycle it describes has ended', () => {
    expect(describeNewChatQuota(null, NOW, SAO_PAULO)).toBeNull();
    expect(describeNewChatQuota(cap({ total: null }), NOW, SAO_PAULO)).toBeNull();
    expect(describeNewChatQuota(cap({ used: null }), NOW, SAO_PAULO)).toBeNull();
    expect(describeNewChatQuota(cap({ cycleEnd: NOW }), NOW, SAO_PAULO)).toBeNull();
  });
});

describe('the state of the limits', () => {
  it('is ok with nothing read, or a cycle without warnings', () => {
    expect(limitsState(NO_LIMITS_READ, NOW)).toBe('ok');
    expect(limitsState(limits(), NOW)).toBe('ok');
  });

  it('is warning at either warning, capped at the cap, and ok again once that cycle ended', () => {
    expect(limitsState(limits({ cap: cap({ status: 'first_warning' }) }), NOW)).toBe('warning');
    expect(limitsState(limits({ cap: cap({ status: 'second_warning' }) }), NOW)).toBe('warning');
    expect(limitsState(limits({ cap: cap({ status: 'capped' }) }), NOW)).toBe('capped');
    expect(limitsState(limits({ cap: cap({ status: 'capped', cycleEnd: NOW - 1 }) }), NOW)).toBe('ok');
  });

  it('is locked while a time lock is active and not over, whatever the cap says; an inactive or ended lock is none', () => {
    expect(limitsState(limits({ cap: cap({ status: 'capped' }), lock: lock() }), NOW)).toBe('locked');
    expect(limitsState(limits({ lock: lock({ endsAt: null }) }), NOW)).toBe('locked');
    expect(limitsState(limits({ lock: lock({ active: false }) }), NOW)).toBe('ok');
    const ends = lock().endsAt!;
    expect(lockInForce(lock(), ends - 1)).toBe(true);
    expect(lockInForce(lock(), ends)).toBe(false);
    expect(lockInForce(null, NOW)).toBe(false);
  });
});

describe('buildWhatsAppLimits', () => {
  it('shows the quota and the version, and no warning, lock or banner in a quiet cycle', () => {
    expect(buildWhatsAppLimits(limits(), NOW, SAO_PAULO)).toEqual({
      state: 'ok',
      quota: '37 de 50 conversas novas usadas neste ciclo, renova em 12/12',
      warning: null,
      lock: null,
      version: 'Versão do WhatsApp Web em uso: 2.3000.1043857760',
      banner: null,
    });
  });

  it('says at the first warning that fregues halves what it sends to people who never wrote, with no banner', () => {
    const view = buildWhatsAppLimits(limits({ cap: cap({ status: 'first_warning' }) }), NOW, SAO_PAULO);
    expect(view.warning).toContain('Primeiro aviso do WhatsApp');
    expect(view.warning).toContain('metade');
    expect(view.banner).toBeNull();
  });

  it('says at the second warning and at the cap that cold messages stop until the cycle renews, in the shop’s time, with a banner', () => {
    const second = buildWhatsAppLimits(limits({ cap: cap({ status: 'second_warning' }) }), NOW, SAO_PAULO);
    expect(second.warning).toContain('Segundo aviso do WhatsApp');
    expect(second.warning).toContain('até 12/12/2026, 21:30');
    expect(second.banner).toBe('Segundo aviso do WhatsApp: as primeiras mensagens para quem nunca escreveu para a loja estão paradas até 12/12/2026, 21:30.');
    const capped = buildWhatsAppLimits(limits({ cap: cap({ status: 'capped', cycleEnd: null }) }), NOW, SAO_PAULO);
    expect(capped.warning).toContain('A conta chegou ao limite de conversas novas deste ciclo');
    expect(capped.banner).toContain('paradas até o ciclo renovar.');
  });

  it('shows a time lock with its end in the shop’s zone, on the page and in the banner, before any warning', () => {
    const view = buildWhatsAppLimits(limits({ cap: cap({ status: 'second_warning' }), lock: lock() }), NOW, SAO_PAULO);
    expect(view.state).toBe('locked');
    expect(view.lock).toContain('O WhatsApp bloqueou conversas novas desta conta até 21/11/2026, 15:30.');
    expect(view.banner).toBe('O WhatsApp bloqueou conversas novas até 21/11/2026, 15:30. Quem já conversa com a loja continua recebendo.');
    expect(buildWhatsAppLimits(limits({ lock: lock({ endsAt: null }) }), NOW, SAO_PAULO).banner).toContain('até o WhatsApp liberar.');
    // Over: nothing about it any more.
    const after = buildWhatsAppLimits(limits({ lock: lock() }), lock().endsAt!, SAO_PAULO);
    expect(after).toMatchObject({ state: 'ok', lock: null, banner: null });
  });

  it('speaks English and Spanish, dates in their own order', () => {
    const locked = limits({ lock: lock() });
    expect(buildWhatsAppLimits(locked, NOW, { locale: 'en', timeZone: 'America/Sao_Paulo' }).banner).toBe(
      'WhatsApp locked new chats until 11/21/26, 3:30 PM. People already talking to the shop keep getting their messages.',
    );
    expect(buildWhatsAppLimits(locked, NOW, { locale: 'es', timeZone: 'America/Sao_Paulo' }).banner).toBe(
      'WhatsApp bloqueó las conversaciones nuevas hasta 21/11/26, 15:30. Quienes ya conversan con la tienda siguen recibiendo sus mensajes.',
    );
  });

  it('says nothing it was not told: no quota, no version before the first reading', () => {
    expect(buildWhatsAppLimits(NO_LIMITS_READ, NOW, SAO_PAULO)).toEqual({ state: 'ok', quota: null, warning: null, lock: null, version: null, banner: null });
  });
});

describe('limitsBanner', () => {
  it('reads the limits and the clock each time a page is drawn', () => {
    let read = limits();
    let now = NOW;
    const banner = limitsBanner(() => read, () => now, SAO_PAULO);
    expect(banner()).toBeNull();
    read = limits({ lock: lock() });
    expect(banner()).toContain('21/11/2026, 15:30');
    now = lock().endsAt!;
    expect(banner()).toBeNull();
  });
});

describe('presentLimits', () => {
  it('answers the limits as read with ISO 8601 times, and null for what was not read', () => {
    expect(presentLimits(limits({ lock: lock({ endsAt: null }) }))).toEqual({
      cap: {
        total: 50,
        used: 37,
        cycleStart: '2026-11-12T03:00:00.000Z',
        cycleEnd: '2026-12-13T00:30:00.000Z',
        status: 'none',
        readAt: '2026-11-20T14:59:00.000Z',
      },
      lock: { active: true, endsAt: null, kind: 'BIZ_QUALITY', readAt: '2026-11-20T14:59:00.000Z' },
      waVersion: '2.3000.1043857760',
    });
    expect(presentLimits(NO_LIMITS_READ)).toEqual({ cap: null, lock: null, waVersion: null });
  });
});
