// An organization's message tracking log (DS-LOG-04): the latest entries, in memory or, for a durable lab, mostly on disk.
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { DomsecError } from '../errors.js';
import type { TrackingEntry } from './observability.js';

/** Tracking entries an organization answers for (the latest): a long-running lab adds a few per message for its whole life. */
export const TRACKING_ENTRIES = 10_000;

/**
 * Entries a durable lab keeps in memory (the latest); the older ones of the TRACKING_ENTRIES answered for are read back
 * from the lab's tracking file when asked. Exchange keeps its message tracking log on disk (MSGTRK files): holding
 * 10,000 entries per organization in memory made a long-running `lab up`'s heap grow ~1.5 kB per send for its first
 * ~6,000 sends.
 */
export const TRACKING_MEMORY_ENTRIES = 1_000;

/** The entries answered for: the latest TRACKING_ENTRIES, trimmed in steps of a fifth (so up to 12,000). */
const cut = (n: number) => n > TRACKING_ENTRIES * 1.2;

export class TrackingLog {
  /** Entries [#heldFrom, #count) of this run, oldest first. */
  #held: TrackingEntry[] = [];
  #heldFrom = 0;
  /** Entries tracked so far, and the first one still answered for. */
  #count = 0;
  #from = 0;
  #file?: string;
  /** Where the file's batches start: `index` is the entry its first line holds (only the batches still answered for). */
  #batches: { index: number; offset: number }[] = [];
  #size = 0;

  /**
   * A durable lab's tracking file (started empty: a run's tracking log is its own, as it was in memory): from then on
   * entries leave memory in batches, appended to the file, and only the latest TRACKING_MEMORY_ENTRIES stay held.
   */
  keepOnDisk(file: string): void {
    closeSync(openSync(file, 'w', 0o600));
    this.#file = file;
    this.#size = 0;
    this.#batches = [];
    this.#spill();
  }

  add(e: TrackingEntry): void {
    this.#held.push(e);
    this.#count++;
    if (cut(this.#count - this.#from)) this.#from = this.#count - TRACKING_ENTRIES;
    if (this.#file === undefined) {
      // In memory only: the held entries are those answered for.
      if (this.#from > this.#heldFrom) this.#drop(this.#from - this.#heldFrom);
    } else if (this.#held.length > TRACKING_MEMORY_ENTRIES * 1.2) this.#spill();
  }

  /** The entries answered for, oldest first: those no longer held are read from the file. */
  entries(): TrackingEntry[] {
    const held = this.#held.slice(Math.max(0, this.#from - this.#heldFrom));
    return this.#from < this.#heldFrom ? [...this.#read(this.#from, this.#heldFrom), ...held] : held;
  }

  #drop(n: number): void {
    this.#held.splice(0, n);
    this.#heldFrom += n;
  }

  /**
   * Appends the entries memory gives up (those still answered for) to the file. Not fsync'd: the file serves this run
   * only. When it cannot be written they stay held and the next spill tries again.
   */
  #spill(): void {
    const keep = this.#held.length > TRACKING_MEMORY_ENTRIES ? TRACKING_MEMORY_ENTRIES : this.#held.length;
    const first = Math.max(this.#from, this.#heldFrom);
    const out = this.#held.slice(first - this.#heldFrom, this.#held.length - keep);
    if (out.length > 0) {
      const bytes = Buffer.from(out.map((e) => `${JSON.stringify(e)}\n`).join(''));
      let fd: number | undefined;
      try {
        fd = openSync(this.#file!, 'r+');
        for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, this.#size + at);
      } catch {
        // A batch written in part is cut off again (best effort: the next batch is written at the same offset anyway).
        try {
          if (fd !== undefined) ftruncateSync(fd, this.#size);
        } catch {
          // the next spill writes over it
        }
        return;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
      this.#batches.push({ index: first, offset: this.#size });
      this.#size += bytes.length;
    }
    this.#drop(this.#held.length - keep);
    // Batches wholly before the first entry answered for are never read again.
    while (this.#batches.length > 1 && this.#batches[1]!.index <= this.#from) this.#batches.shift();
  }

  /** Entries [from, to) from the file (all of them were spilled). */
  #read(from: number, to: number): TrackingEntry[] {
    let b = this.#batches[0];
    for (const x of this.#batches) if (x.index <= from) b = x;
    if (!b) return [];
    const bytes = Buffer.alloc(this.#size - b.offset);
    let fd: number;
    try {
      fd = openSync(this.#file!, 'r');
    } catch (e) {
      throw new DomsecError('ERR_LAB_STATE', `The lab's tracking file ${this.#file} cannot be read (${(e as Error).message}); older message tracking entries are kept only there.`, { path: this.#file });
    }
    try {
      for (let at = 0; at < bytes.length;) {
        const n = readSync(fd, bytes, at, bytes.length - at, b.offset + at);
        if (n === 0) break;
        at += n;
      }
    } finally {
      closeSync(fd);
    }
    const out: TrackingEntry[] = [];
    let index = b.index;
    for (let start = 0, nl = bytes.indexOf(10); nl >= 0 && index < to; start = nl + 1, nl = bytes.indexOf(10, start), index++) {
      if (index >= from) out.push(JSON.parse(bytes.toString('utf8', start, nl)) as TrackingEntry);
    }
    return out;
  }
}
