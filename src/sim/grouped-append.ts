// Appends lines to a file durably, in groups: the lines that arrive while one write+fsync runs share the next one.
// The write and the fsync run on libuv's thread pool, so the event loop serves other sessions meanwhile.
import { open } from 'node:fs/promises';

interface Waiting {
  text: string;
  done: (error?: Error) => void;
}

export class GroupedAppend {
  #waiting: Waiting[] = [];
  #running = false;

  constructor(readonly path: string) {}

  /** Resolves once `line` is in the file and fsync'd (with whatever else was waiting); rejects if that failed. */
  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ text: `${line}\n`, done: (e) => (e ? reject(e) : resolve()) });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0);
      let error: Error | undefined;
      try {
        const fh = await open(this.path, 'a', 0o600);
        try {
          await fh.appendFile(group.map((w) => w.text).join(''));
          await fh.sync();
        } finally {
          await fh.close();
        }
      } catch (e) {
        error = e as Error;
      }
      for (const w of group) w.done(error);
    }
    this.#running = false;
  }
}
