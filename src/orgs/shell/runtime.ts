// Owns what the shell needs from outside the model, injected: queues, messages, tracking log, files, clock (src/sim provides it).
import { DomsecError } from '../../errors.js';

/** Minimal structural copies of src/sim's QueueSnapshot and TrackingEntry: the shell must not import the layer above it. */
export interface QueueView {
  identity: string;
  nextHopDomain: string;
  status: string;
  messageCount: number;
  lastError?: string;
  retryCount?: number;
  nextRetryTime?: string;
  tlsDomain?: string;
  deliveryType?: string;
}

export interface MessageView {
  identity: string;
  messageId?: string;
  from: string;
  to?: string[];
  subject?: string;
  status: string;
  lastError?: string;
  queue: string;
}

export interface TrackingView {
  dateTime: string;
  server?: string;
  eventId: string;
  source: string;
  messageId: string;
  sender: string;
  recipients: string[];
  connectorId?: string;
  recipientStatus?: string;
  messageInfo?: string;
  subject?: string;
}

export interface ShellFileSystem {
  readFile(path: string): Uint8Array;
  writeFile(path: string, bytes: Uint8Array): void;
}

export interface ShellRuntime extends Partial<ShellFileSystem> {
  queues?(): QueueView[];
  retryQueue?(identity?: string): Promise<void>;
  /** Send-MailMessage: submit as a user of the organization; resolves with the message id once the attempt settled. */
  sendMessage?(m: { from: string; to: string[]; subject?: string; body?: string }): Promise<string>;
  messages?(): MessageView[];
  trackingLog?(): TrackingView[];
  /** The virtual clock; certificate Status and request dates use it. Default: the wall clock. */
  now?(): Date;
  /** Lets Get-ExchangeCertificate check revocation; without it revocation is not checked. */
  fetchCrl?(url: string): Promise<Uint8Array>;
  /** The seed for the next key New-ExchangeCertificate makes (deterministic keys for a seed); without it keys are random. */
  keySeed?(kind: string): string;
}

/** Windows paths compare case-insensitively and either slash works. */
export function normalizePath(p: string): string {
  return p.trim().replace(/\//g, '\\').toLowerCase();
}

/** The default file system: a Map, so tests can place c:\certificates\import.pfx before running the seed line. */
export class MemoryFileSystem implements ShellFileSystem {
  readonly #files = new Map<string, Uint8Array>();

  readFile(path: string): Uint8Array {
    const f = this.#files.get(normalizePath(path));
    if (!f) throw new DomsecError('ERR_SHELL_FILE', `Could not find file '${path}'. Check the path; the shell's files are: ${this.list().join(', ') || '(none)'}.`, { path });
    return f;
  }

  writeFile(path: string, bytes: Uint8Array): void {
    this.#files.set(normalizePath(path), new Uint8Array(bytes));
  }

  list(): string[] {
    return [...this.#files.keys()];
  }
}
