// Lines for a stream that may be slow (stdout to a pipe is written synchronously on Linux): gathered and written
// together every few ms, so a busy `lab up` pays one write per batch instead of one per SMTP session.
import type { Writable } from 'node:stream';

export class BatchedLines {
  #text = '';
  #timer?: NodeJS.Timeout;

  constructor(private readonly out: Writable, private readonly everyMs = 20) {}

  add(line: string): void {
    this.#text += `${line}\n`;
    this.#timer ??= setTimeout(() => this.flush(), this.everyMs).unref();
  }

  /** Writes what is gathered now; call before anything else is printed to the same stream, and at the end. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#text) return;
    const text = this.#text;
    this.#text = '';
    this.out.write(text);
  }
}
