// Mailboxes of an organization's users: delivered mail, delay notices and NDRs, by address.
import { type DeliveredMessage, keptMessage } from './message.js';
import { scanMailboxFile } from './mailbox-file.js';

/**
 * Messages a durable lab's mailboxes keep in memory (the latest, all addresses together); the older ones are read back
 * from the lab's mailbox file when asked. Exchange keeps mailboxes in a database on disk: a long-running `lab up` that
 * kept every message in memory grew ~2.5 kB per message for its whole life, and V8 let its heap grow twice that.
 */
export const MAILBOX_MEMORY_MESSAGES = 1_000;

export class MailboxStore {
  #boxes = new Map<string, DeliveredMessage[]>();
  /** Addresses (lower case) of the messages held in memory, oldest first: which box gives up its oldest when trimmed. */
  #order: string[] = [];
  /** Per address (lower case), how many of its oldest messages are no longer in memory, only in the file. */
  #onDisk = new Map<string, number>();
  /** Every address (lower case) that has had a message, in the order of their first. */
  #addresses = new Set<string>();
  #file?: string;
  /** Set by a durable lab (queue-journal.ts): runs before the delivery counts, and throws when it cannot be kept. */
  onDeliver?: (address: string, m: DeliveredMessage) => void;
  /**
   * Set by a durable lab for the receiving edge's deliveries: resolves once the delivery is on disk, its fsync shared
   * with the deliveries of the same moment (grouped-append.ts); rejects when it cannot be kept.
   */
  onDeliverGrouped?: (address: string, m: DeliveredMessage) => Promise<void>;

  /**
   * A durable lab's mailbox file, which holds every message restored or delivered from now on (each is appended and
   * fsync'd before it counts): from then on only the latest MAILBOX_MEMORY_MESSAGES stay in memory.
   */
  keepOnDisk(file: string): void {
    this.#file = file;
  }

  deliver(address: string, m: DeliveredMessage): void {
    this.onDeliver?.(address, m);
    this.restore(address, m);
  }

  /**
   * The receiving edge's delivery: counts once it is on disk, and only then may the edge answer 250. Without a durable
   * lab it is done before this returns, as deliver() is.
   */
  async deliverDurably(address: string, m: DeliveredMessage): Promise<void> {
    if (!this.onDeliverGrouped) return this.deliver(address, m);
    await this.onDeliverGrouped(address, m);
    this.restore(address, m);
  }

  /** A delivery made by an earlier run of the same lab, read back from disk. */
  restore(address: string, m: DeliveredMessage): void {
    // Appended in place: copying the box on every delivery made a long run quadratic.
    const key = address.toLowerCase();
    const box = this.#boxes.get(key);
    const kept = keptMessage(m);
    if (box) box.push(kept);
    else {
      this.#boxes.set(key, [kept]);
      this.#addresses.add(key);
    }
    if (this.#file === undefined) return;
    this.#order.push(key);
    // Trimmed in steps of a fifth, so the copy is paid once per 200 messages.
    if (this.#order.length > MAILBOX_MEMORY_MESSAGES * 1.2) this.#trim(this.#order.length - MAILBOX_MEMORY_MESSAGES);
  }

  #trim(n: number): void {
    const counts = new Map<string, number>();
    for (const key of this.#order.splice(0, n)) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [key, k] of counts) {
      const box = this.#boxes.get(key)!;
      box.splice(0, k);
      if (box.length === 0) this.#boxes.delete(key);
      this.#onDisk.set(key, (this.#onDisk.get(key) ?? 0) + k);
    }
  }

  /** Every message of the address, oldest first: those no longer in memory are read from the lab's mailbox file. */
  read(address: string): DeliveredMessage[] {
    return this.#messagesOf([address.toLowerCase()]);
  }

  /**
   * A message of `address` (of any address when none is given) that `match` takes, for a match only one message meets
   * (its id): the ones in memory are tried newest first (the message just delivered is found at once), then the file. `hint`: text a matching message contains in one of its fields (its message id), so
   * the file is searched for it (as JSON writes it), not parsed line by line.
   */
  find(address: string | undefined, match: (m: DeliveredMessage) => boolean, hint?: string): DeliveredMessage | undefined {
    const key = address?.toLowerCase();
    for (const [k, held] of this.#boxes) {
      if (key !== undefined && k !== key) continue;
      for (let i = held.length - 1; i >= 0; i--) if (match(held[i]!)) return held[i];
    }
    if (key === undefined ? this.#onDisk.size === 0 : !this.#onDisk.has(key)) return undefined;
    let found: DeliveredMessage | undefined;
    scanMailboxFile(this.#file!, (rec) => {
      if (key !== undefined && rec.address.toLowerCase() !== key) return false;
      if (match(rec.message)) found = rec.message;
      return found !== undefined;
    }, hint === undefined ? undefined : JSON.stringify(hint).slice(1, -1));
    return found;
  }

  /** Every message of every address (those no longer in memory read from the file). */
  all(): DeliveredMessage[] {
    return this.#messagesOf([...this.#addresses]);
  }

  /**
   * The messages of `keys` (lower-case addresses) in that order, each address's oldest first. Those memory gave up are
   * read in one pass over the file for all the addresses (one pass per address made `all()` read it once per user): the
   * file holds each address's messages in the order they were kept, so an address's first `#onDisk` records are them.
   */
  #messagesOf(keys: string[]): DeliveredMessage[] {
    const older = new Map<string, DeliveredMessage[]>();
    let left = 0;
    for (const key of keys) {
      const n = this.#onDisk.get(key) ?? 0;
      if (n === 0) continue;
      older.set(key, []);
      left += n;
    }
    if (left > 0) {
      scanMailboxFile(this.#file!, (rec) => {
        const key = rec.address.toLowerCase();
        const got = older.get(key);
        if (!got || got.length === this.#onDisk.get(key)) return false;
        got.push(rec.message);
        return --left === 0;
      });
    }
    return keys.flatMap((key) => {
      const held = this.#boxes.get(key) ?? [];
      const fromFile = older.get(key);
      return fromFile ? [...fromFile, ...held] : held;
    });
  }
}
