// Deterministic ids for a seed (DESIGN "Determinism"): session ids, message ids, serial seeds.
import { createHash } from 'node:crypto';

export class SeededIds {
  #counters = new Map<string, number>();

  constructor(readonly seed: string) {}

  /** The n-th value of a named sequence, as hex of the given length. */
  hex(kind: string, length: number): string {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return createHash('sha256').update(`${this.seed}\0${kind}\0${n}`).digest('hex').slice(0, length).toUpperCase();
  }

  /** 16 upper-case hex digits, as Exchange's protocol log session-id (DS-LOG-02). */
  sessionId(): string {
    return this.hex('session', 16);
  }

  messageId(domain: string): string {
    return `<${this.hex('message', 24).toLowerCase()}@${domain}>`;
  }

  /** How many values of a sequence were handed out so far. */
  peek(kind: string): number {
    return this.#counters.get(kind) ?? 0;
  }

  next(kind: string): number {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return n;
  }
}
