import type { Clock } from '../../scheduler/clock.js';
import type { CustomerRepository } from '../../storage/repositories/customers.js';
import type { JidCache } from './whatsapp-channel.js';

/** The canonical JID of a number, kept on its customer's record (whatsapp_jid). */
export function customerJidCache(customers: CustomerRepository, clock: Clock): JidCache {
  return {
    get: (phone) => customers.findByPhone(phone)?.whatsappJid ?? undefined,
    set: (phone, jid) => {
      const customer = customers.findByPhone(phone);
      if (customer && customer.whatsappJid !== jid) customers.setWhatsappJid(customer.id, jid, clock.now());
    },
  };
}
