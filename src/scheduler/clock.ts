/** Where every part of fregues reads the time, so that tests and the demo can move it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
};

/** A clock that only moves when told to; it may be set backwards, as real clocks sometimes are. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number | Date | string = '2026-11-20T12:00:00Z') {
    this.#now = new Date(start).getTime();
  }

  now(): number {
    return this.#now;
  }

  set(to: number | Date | string): void {
    this.#now = new Date(to).getTime();
  }

  advance(milliseconds: number): void {
    this.#now += milliseconds;
  }
}
