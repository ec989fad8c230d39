// The virtual clock (DESIGN "Time"): the only source of time; protocol timers are scheduled here, never on setTimeout.

export interface ClockTimer {
  readonly at: number;
  cancel(): void;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => unknown;
  cancelled: boolean;
}

export class VirtualClock {
  #now: number;
  #seq = 0;
  #timers: Entry[] = [];

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  nowMs(): number {
    return this.#now;
  }

  schedule(at: number, fn: () => unknown): ClockTimer {
    const e: Entry = { at: Math.max(at, this.#now), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(e);
    return { at: e.at, cancel: () => { e.cancelled = true; } };
  }

  after(ms: number, fn: () => unknown): ClockTimer {
    return this.schedule(this.#now + ms, fn);
  }

  /** The next pending timer's time, if any. */
  nextAt(): number | undefined {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    return this.#timers.reduce<number | undefined>((m, t) => (m === undefined || t.at < m ? t.at : m), undefined);
  }

  /**
   * Moves time forward to `target`, firing timers in time order; each callback (and whatever it awaits)
   * finishes before the clock moves on, so "two days later" is deterministic and fast.
   */
  async advanceTo(target: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      const due = this.#timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.cancelled = true;
      this.#now = Math.max(this.#now, due.at);
      await due.fn();
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    this.#timers = this.#timers.filter((t) => !t.cancelled);
  }

  /** Moves time without firing timers: used while a fault "costs" time (a dropped SYN's connect timeout). */
  elapse(ms: number): void {
    this.#now += ms;
  }

  cancelAll(): void {
    for (const t of this.#timers) t.cancelled = true;
    this.#timers = [];
  }
}
