// Appends lines to a file durably, in groups: the lines that arrive while one write+fsync runs share the next one.
// The write and the fsync run on libuv's thread pool, so the event loop serves other sessions meanwhile. The file stays
// open while groups follow each other and is closed as soon as nothing waits (no descriptor outlives a burst).
import { close, fdatasync, open, write } from 'node:fs';

interface Waiting {
  text: string;
  done: (error?: Error) => void;
}

export class GroupedAppend {
  #waiting: Waiting[] = [];
  #running = false;

  constructor(readonly path: string) {}

  /** Resolves once `line` is in the file and on disk (with whatever else was waiting); rejects if that failed. */
  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ text: `${line}\n`, done: (e) => (e ? reject(e) : resolve()) });
      if (!this.#running) this.#start();
    });
  }

  #start(): void {
    this.#running = true;
    open(this.path, 'a', 0o600, (e, fd) => (e ? this.#fail(undefined, e) : this.#next(fd)));
  }

  #next(fd: number): void {
    if (this.#waiting.length === 0) {
      this.#running = false;
      close(fd, () => undefined);
      return;
    }
    const group = this.#waiting.splice(0);
    const bytes = Buffer.from(group.map((w) => w.text).join(''), 'utf8');
    const rest = (from: number): void => {
      if (from >= bytes.length) {
        // fdatasync: the data and the file's new length, which is all an append changes.
        fdatasync(fd, (e) => {
          if (e) return this.#fail(fd, e, group);
          for (const w of group) w.done();
          this.#next(fd);
        });
        return;
      }
      write(fd, bytes, from, bytes.length - from, null, (e, n) => (e ? this.#fail(fd, e, group) : rest(from + n)));
    };
    rest(0);
  }

  /** Everyone in the failed group (or waiting for the open) is told; later appends try the file afresh. */
  #fail(fd: number | undefined, e: Error, group = this.#waiting.splice(0)): void {
    if (fd !== undefined) close(fd, () => undefined);
    for (const w of group) w.done(e);
    this.#running = false;
    if (this.#waiting.length > 0) this.#start();
  }
}
