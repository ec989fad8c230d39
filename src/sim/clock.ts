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

const NOOP = () => undefined;

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * Timers in a binary heap by (time, order of scheduling): every message schedules its delay notice and expiry, so a
 * long-running lab holds thousands; a sorted scan per firing made "advance" quadratic. A cancelled timer lets go of its
 * callback at once (and with it the message it would act on) and is swept out when they outnumber the live ones.
 */
export class VirtualClock {
  #now: number;
  #seq = 0;
  #heap: Entry[] = [];
  #cancelled = 0;

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
    this.#push(e);
    return {
      at: e.at,
      cancel: () => {
        if (e.cancelled) return;
        e.cancelled = true;
        e.fn = NOOP;
        this.#cancelled++;
        if (this.#cancelled > 64 && this.#cancelled * 2 > this.#heap.length) this.#compact();
      },
    };
  }

  after(ms: number, fn: () => unknown): ClockTimer {
    return this.schedule(this.#now + ms, fn);
  }

  /** The next pending timer's time, if any. */
  nextAt(): number | undefined {
    return this.#peek()?.at;
  }

  /** Timers still pending: for tests that a long run does not pile them up. */
  get pending(): number {
    return this.#heap.length - this.#cancelled;
  }

  /**
   * Moves time forward to `target`, firing timers in time order; each callback (and whatever it awaits)
   * finishes before the clock moves on, so "two days later" is deterministic and fast.
   */
  async advanceTo(target: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      const due = this.#peek();
      if (!due || due.at > target) break;
      this.#pop();
      due.cancelled = true;
      const fn = due.fn;
      due.fn = NOOP;
      this.#now = Math.max(this.#now, due.at);
      await fn();
      await settle();
    }
    this.#now = Math.max(this.#now, target);
  }

  /** Moves time without firing timers: used while a fault "costs" time (a dropped SYN's connect timeout). */
  elapse(ms: number): void {
    this.#now += ms;
  }

  cancelAll(): void {
    for (const t of this.#heap) { t.cancelled = true; t.fn = NOOP; }
    this.#heap = [];
    this.#cancelled = 0;
  }

  /** The earliest live timer, dropping cancelled ones from the top. */
  #peek(): Entry | undefined {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) {
      this.#pop();
      this.#cancelled--;
    }
    return this.#heap[0];
  }

  #push(e: Entry): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  #pop(): Entry | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  #siftDown(i: number): void {
    const h = this.#heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  #compact(): void {
    this.#heap = this.#heap.filter((e) => !e.cancelled);
    this.#cancelled = 0;
    for (let i = (this.#heap.length >> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }
}
