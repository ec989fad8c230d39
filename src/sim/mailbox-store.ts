// Mailboxes of an organization's users: delivered mail, delay notices and NDRs, by address.
import type { DeliveredMessage } from './message.js';

export class MailboxStore {
  #boxes = new Map<string, DeliveredMessage[]>();

  deliver(address: string, m: DeliveredMessage): void {
    const key = address.toLowerCase();
    this.#boxes.set(key, [...(this.#boxes.get(key) ?? []), m]);
  }

  read(address: string): DeliveredMessage[] {
    return this.#boxes.get(address.toLowerCase()) ?? [];
  }

  all(): DeliveredMessage[] {
    return [...this.#boxes.values()].flat();
  }
}
