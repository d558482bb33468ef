import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newMessageId, type Receipt } from '../../../src/channels/channel.js';
import { digestOf, readDeliveryLog } from '../../../src/channels/simulator/delivery-log.js';
import { SimulatorChannel } from '../../../src/channels/simulator/simulator-channel.js';
import { loadConfig } from '../../../src/config.js';
import { ManualClock } from '../../../src/scheduler/clock.js';

// SIMULATOR_DELIVERY_LOG: what the simulated WhatsApp accepted, on record outside the process
// before the service hears back (the crash suite reads it after killing the service).

const ANA = '+5511912345678';
const BIA = '+5521987654321';
const T0 = new Date('2026-11-20T12:00:00Z').getTime();

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-delivery-log-'));
  file = path.join(dir, 'delivery.log');
});
afterEach(() => {
  vi.useRealTimers();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function openSimulator(options: { sendLatencyMs?: number } = {}) {
  const clock = new ManualClock(T0);
  const channel = new SimulatorChannel({ clock, deliveryLog: file, ...options });
  await channel.start();
  return { clock, channel };
}

describe('the delivery log', () => {
  it('has the line of an accepted message before send() answers', async () => {
    const { channel } = await openSimulator();
    const messageId = newMessageId();
    const sending = channel.send(ANA, { kind: 'text', text: 'Obrigado pela compra!' }, { messageId });
    // Not awaited yet: the service has not heard back, and the record is already on disk.
    expect(readDeliveryLog(file)).toEqual([
      { messageId, to: ANA, digest: digestOf({ kind: 'text', text: 'Obrigado pela compra!' }), at: new Date(T0).toISOString() },
    ]);
    expect(await sending).toMatchObject({ ok: true, messageId });
    await channel.stop();
  });

  it('writes one line per accepted message, nothing for a send that reached no phone, and marks a repeated id', async () => {
    const { channel, clock } = await openSimulator();
    const first = newMessageId();
    await channel.send(ANA, { kind: 'text', text: 'Oi' }, { messageId: first });
    channel.failNextSend();
    expect((await channel.send(ANA, { kind: 'text', text: 'falha' }, { messageId: newMessageId() })).ok).toBe(false);
    channel.markNotOnWhatsApp(BIA);
    expect((await channel.send(BIA, { kind: 'text', text: 'sem whatsapp' }, { messageId: newMessageId() })).ok).toBe(false);
    channel.dropConnection();
    expect((await channel.send(ANA, { kind: 'text', text: 'caiu' }, { messageId: newMessageId() })).ok).toBe(false);
    channel.restoreConnection();
    channel.restrictNextSend();
    expect((await channel.send(ANA, { kind: 'text', text: 'restrito' }, { messageId: newMessageId() })).ok).toBe(false);
    channel.resumeSending();
    clock.advance(60_000);
    // The same id again: the phone shows it once, the log says the service sent it twice.
    await channel.send(ANA, { kind: 'text', text: 'Oi' }, { messageId: first });
    const poll = newMessageId();
    await channel.send(ANA, { kind: 'poll', question: 'Gostou?', options: ['Sim', 'Não'] }, { messageId: poll });

    const records = readDeliveryLog(file);
    expect(records.map((record) => [record.messageId, record.repeat ?? false])).toEqual([
      [first, false],
      [first, true],
      [poll, false],
    ]);
    expect(records[0]!.digest).toBe(records[1]!.digest);
    expect(records[2]!.digest).not.toBe(records[0]!.digest);
    expect(records[1]!.at).toBe(new Date(T0 + 60_000).toISOString());
    expect(channel.conversation(ANA).filter((message) => message.from === 'bot')).toHaveLength(2);
    await channel.stop();
  });

  it('appends to what an earlier process wrote, and goes on after a stop and a start', async () => {
    fs.writeFileSync(file, `${JSON.stringify({ messageId: 'EARLIER', to: ANA, digest: 'abc', at: new Date(T0).toISOString() })}\n`);
    const { channel } = await openSimulator();
    await channel.send(ANA, { kind: 'text', text: 'um' }, { messageId: 'ID-1' });
    await channel.stop();
    await channel.start();
    await channel.send(ANA, { kind: 'text', text: 'dois' }, { messageId: 'ID-2' });
    await channel.stop();
    expect(readDeliveryLog(file).map((record) => record.messageId)).toEqual(['EARLIER', 'ID-1', 'ID-2']);
  });

  it('writes nothing when it is not configured', async () => {
    const channel = new SimulatorChannel({ clock: new ManualClock(T0) });
    await channel.start();
    await channel.send(ANA, { kind: 'text', text: 'Oi' }, { messageId: newMessageId() });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a line that is not a record, naming its number', () => {
    fs.writeFileSync(file, `${JSON.stringify({ messageId: 'A', to: ANA, digest: 'd', at: 'x' })}\n{"messageId":"B"\n`);
    expect(() => readDeliveryLog(file)).toThrow(`${file}:2: not a delivery record`);
    expect(readDeliveryLog(path.join(dir, 'missing.log'))).toEqual([]);
  });
});

describe('the send latency hook', () => {
  it('accepts halfway through, answers at the end, and the receipt comes after the answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { channel } = await openSimulator({ sendLatencyMs: 10 });
    const receipts: Receipt[] = [];
    channel.on('receipt', (receipt) => receipts.push(receipt));
    const messageId = newMessageId();
    let answered = false;
    const sending = channel.send(ANA, { kind: 'text', text: 'Oi' }, { messageId }).then((result) => {
      answered = true;
      expect(receipts).toEqual([]);
      return result;
    });

    await vi.advanceTimersByTimeAsync(4);
    expect(readDeliveryLog(file)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // WhatsApp has it: the record is written, the caller has not heard back.
    expect(readDeliveryLog(file).map((record) => record.messageId)).toEqual([messageId]);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(5);
    expect(await sending).toMatchObject({ ok: true, messageId });
    await channel.flush();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(receipts.map((receipt) => receipt.status)).toEqual(['delivered']);
    await channel.stop();
  });

  it('refuses a latency that is not a number of milliseconds', () => {
    expect(() => new SimulatorChannel({ clock: new ManualClock(T0), sendLatencyMs: -1 })).toThrow('sendLatencyMs');
  });
});

describe('SIMULATOR_DELIVERY_LOG', () => {
  it('is off by default and read from the folder the service starts in', () => {
    expect(loadConfig({}, '/srv/loja').simulatorDeliveryLog).toBeNull();
    expect(loadConfig({ SIMULATOR_DELIVERY_LOG: 'logs/entregas.log' }, '/srv/loja').simulatorDeliveryLog).toBe('/srv/loja/logs/entregas.log');
    expect(loadConfig({ SIMULATOR_DELIVERY_LOG: '/tmp/e.log' }, '/srv/loja').simulatorDeliveryLog).toBe('/tmp/e.log');
  });
});
