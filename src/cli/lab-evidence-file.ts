// lab up's evidence.json: each hop appended once it is over, the latest queue snapshot rewritten behind them.
import { closeSync, fstatSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import type { HopEvidence, QueueSnapshot } from '../sim/index.js';

/**
 * The file is the JSON `domsec doctor --lab` reads ({ lab, hops, at, queues }), written so that a long-running lab pays
 * per new hop, not per hop so far: the hops array grows in place and only the part after it (the time and the latest
 * queues) is written again. Rewriting the whole file on every change made each send slower than the last (63 → 367 ms
 * over 3,000 sends) and kept every hop in memory for the lab's life.
 */
export class LabEvidenceFile {
  #fd?: number;
  #ino = 0;
  /** Byte offset where the next hop goes (just after the last one). */
  #hopsEnd = 0;
  #written = 0;
  #pending: HopEvidence[] = [];
  /** Hops written from memory when the file was (re)started: not written again when they end. */
  #skip = new Set<string>();

  constructor(readonly file: string, readonly lab: string) {}

  /** A hop that is over; written on the next write(). */
  add(hop: HopEvidence): void {
    if (this.#skip.delete(hop.id)) return;
    this.#pending.push(hop);
  }

  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /**
   * Appends the pending hops and rewrites the queues; throws when the file cannot be written (the caller warns) and
   * keeps the hops for the next try. A file removed or replaced meanwhile is started again with `inMemory` (the hops the
   * simulation still holds).
   */
  write(at: string, queues: QueueSnapshot[], inMemory: readonly HopEvidence[]): void {
    if (this.#fd !== undefined && !this.#same()) this.close();
    if (this.#fd === undefined) {
      const fd = openSync(this.file, 'w');
      this.#fd = fd;
      this.#ino = fstatSync(fd).ino;
      this.#hopsEnd = writeSync(fd, `{\n  "lab": ${JSON.stringify(this.lab)},\n  "hops": [`, 0);
      this.#written = 0;
      // The hops in memory, then those that ended but are no longer held; the ones still going are skipped when they end.
      const held = new Set(inMemory.map((h) => h.id));
      const ended = new Set(this.#pending.map((h) => h.id));
      this.#pending = [...inMemory, ...this.#pending.filter((h) => !held.has(h.id))];
      this.#skip = new Set([...held].filter((id) => !ended.has(id)));
    }
    const fd = this.#fd;
    if (this.#pending.length > 0) {
      const text = this.#pending.map((h, i) => `${this.#written + i > 0 ? ',' : ''}\n    ${JSON.stringify(h)}`).join('');
      this.#hopsEnd += writeSync(fd, text, this.#hopsEnd);
      this.#written += this.#pending.length;
      this.#pending = [];
    }
    const tail = `\n  ],\n  "at": ${JSON.stringify(at)},\n  "queues": [${JSON.stringify(queues)}]\n}\n`;
    const end = this.#hopsEnd + writeSync(fd, tail, this.#hopsEnd);
    ftruncateSync(fd, end);
  }

  /** Still the file at the path (not removed or replaced by something else). */
  #same(): boolean {
    try {
      return statSync(this.file).ino === this.#ino;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already gone: nothing to keep
    }
    this.#fd = undefined;
  }
}
