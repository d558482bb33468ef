import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { proto } from '@whiskeysockets/baileys';

/**
 * Encrypts a poll vote the way a WhatsApp client does, written from the
 * protocol with node:crypto (not Baileys' helpers) so the tests check that
 * decryption interoperates rather than that Baileys agrees with itself: a
 * PollVoteMessage of SHA-256 hashes of option names, sealed with AES-256-GCM
 * under HMAC(HMAC(zeros, secret), msgId|creator|voter|"Poll Vote"|0x01),
 * "msgId\0voter" as additional data, the tag appended.
 */
export function encryptPollVote(vote: {
  selected: string[];
  secret: Uint8Array;
  pollMsgId: string;
  creatorJid: string;
  voterJid: string;
}): proto.Message.IPollEncValue {
  const selectedOptions = vote.selected.map((name) => createHash('sha256').update(name, 'utf8').digest());
  const plaintext = proto.Message.PollVoteMessage.encode({ selectedOptions }).finish();
  const info = Buffer.concat([
    Buffer.from(vote.pollMsgId),
    Buffer.from(vote.creatorJid),
    Buffer.from(vote.voterJid),
    Buffer.from('Poll Vote'),
    Buffer.from([1]),
  ]);
  const pseudoRandomKey = createHmac('sha256', Buffer.alloc(32)).update(vote.secret).digest();
  const key = createHmac('sha256', pseudoRandomKey).update(info).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${vote.pollMsgId}\u0000${vote.voterJid}`));
  const encPayload = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { encPayload, encIv: iv };
}

