// Mailboxes of an organization's users: delivered mail, delay notices and NDRs, by address.
import { type DeliveredMessage, keptMessage } from './message.js';

export class MailboxStore {
  #boxes = new Map<string, DeliveredMessage[]>();
  /** Set by a durable lab (queue-journal.ts): runs before the delivery counts, and throws when it cannot be kept. */
  onDeliver?: (address: string, m: DeliveredMessage) => void;
  /**
   * Set by a durable lab for the receiving edge's deliveries: resolves once the delivery is on disk, its fsync shared
   * with the deliveries of the same moment (grouped-append.ts); rejects when it cannot be kept.
   */
  onDeliverGrouped?: (address: string, m: DeliveredMessage) => Promise<void>;

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
    else this.#boxes.set(key, [kept]);
  }

  read(address: string): DeliveredMessage[] {
    return this.#boxes.get(address.toLowerCase()) ?? [];
  }

  all(): DeliveredMessage[] {
    return [...this.#boxes.values()].flat();
  }
}
