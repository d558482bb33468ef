import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * SIMULATOR_DELIVERY_LOG: one JSON line per message the simulated WhatsApp
 * accepted (those it then refused included, marked), written before send() answers the service. The simulated phones
 * live in the service's memory and die with it; this record does not, so a
 * test that kills the service (the crash suite, test/crash/) can still tell
 * what the customers got and whether anything reached them twice.
 *
 * Each line is one write() on a file opened for appending: a process killed
 * at any moment leaves whole lines only. There is no fsync: it outlives the
 * process, not a power cut, and costs a system call per message, nothing
 * when unset.
 */
export interface DeliveryRecord {
  /** The WhatsApp id the service chose (the outbox row's wa_id). */
  messageId: string;
  /** E.164 of the customer's phone. */
  to: string;
  /** Of the message as the phone shows it: the same text to the same phone twice has the same digest. */
  digest: string;
  /** The service's clock when WhatsApp accepted it (ISO 8601). */
  at: string;
  /** This process had already accepted that id: WhatsApp shows it once, but the service sent it again. */
  repeat?: true;
  /**
   * WhatsApp accepted it, then refused it with this code (463: a new chat it would
   * not open, issue 18): it never reached the phone, and sending it again is another reach-out.
   */
  refused?: number;
}

export class DeliveryLog {
  readonly file: string;
  #fd: number | null = null;

  constructor(file: string) {
    this.file = file;
  }

  append(record: DeliveryRecord): void {
    this.#fd ??= fs.openSync(this.file, 'a');
    fs.writeSync(this.#fd, `${JSON.stringify(record)}\n`);
  }

  /** Closes the file; the next append opens it again. */
  close(): void {
    if (this.#fd === null) return;
    fs.closeSync(this.#fd);
    this.#fd = null;
  }
}

/** sha256 of what the phone shows, 16 hex characters: enough to tell one message from another. */
export function digestOf(shown: unknown): string {
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
}

/** Every record of a delivery log, in order; a line that is not one is an error naming its number. */
export function readDeliveryLog(file: string): DeliveryRecord[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const records: DeliveryRecord[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      record = null;
    }
    if (!isDeliveryRecord(record)) throw new Error(`${file}:${index + 1}: not a delivery record: ${line.slice(0, 200)}`);
    records.push(record);
  });
  return records;
}

function isDeliveryRecord(value: unknown): value is DeliveryRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.messageId === 'string' &&
    typeof record.to === 'string' &&
    typeof record.digest === 'string' &&
    typeof record.at === 'string' &&
    (record.repeat === undefined || record.repeat === true) &&
    (record.refused === undefined || typeof record.refused === 'number')
  );
}
