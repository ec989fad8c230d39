// Exchange protocol logs in CSV (DS-LOG-01…03): one writer per edge and direction, only for Verbose connectors.
import { close as closeAsync, existsSync, fstatSync, mkdirSync, openSync, write as writeAt, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { csvLine } from './csv-field.js';

export type LogDirection = 'Send' | 'Receive';
export type LogEvent = '+' | '-' | '>' | '<' | '*';

export interface ProtocolLogLine {
  dateTime: string;
  connectorId: string;
  sessionId: string;
  sequence: number;
  local: string;
  remote: string;
  event: LogEvent;
  data: string;
  context: string;
}

const FIELDS = 'date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context';

function yyyymmdd(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '');
}

/**
 * Lines kept in memory per log (the latest): text() and the scenarios read those; the files hold every line. A
 * long-running lab would otherwise keep every line of every session (~40 per session) for its whole life.
 */
export const PROTOCOL_LOG_MEMORY_LINES = 2000;

/** How long lines gather before one write: a session writes ~40 lines over a few ms, a busy edge hundreds of sessions/s. */
const BATCH_MS = 20;

/**
 * One file's place: its descriptor, where the next batch goes, and the batches not yet confirmed written. Every batch
 * has its own position, so writing one again is harmless: flush() rewrites the unconfirmed ones itself. The
 * descriptor stays open while the file is in use (one thread-pool job per batch, not three) and is closed only when no
 * write of it is on its way, so its number cannot be reused under a write.
 */
interface FileState {
  fd: number;
  offset: number;
  unconfirmed: Map<number, { bytes: Buffer; sent: boolean }>;
  inFlight: number;
  dead: boolean;
}

function release(state: FileState): void {
  if (state.dead && state.inFlight === 0) closeAsync(state.fd, () => undefined);
}

export class ProtocolLog {
  lines: ProtocolLogLine[] = [];
  #files = new Map<string, FileState>();
  /** Rows not yet handed to a write, per file: joined once per batch (appending each row to one string built a deep rope). */
  #pending = new Map<string, string[]>();
  #flushTimer?: NodeJS.Timeout;
  #closed = false;
  #failing = false;
  /**
   * Told when a write fails (disk full, the logs folder removed): the lines stay in memory, the edge goes on, and the
   * next burst tries the file again. Called once per failing spell, not per line.
   */
  onWriteError?: (file: string, error: Error) => void;

  constructor(readonly dir: string, readonly direction: LogDirection) {}

  /** The file a line of that day goes to: RECV<yyyymmdd>-1.LOG / SEND<yyyymmdd>-1.LOG. */
  fileFor(iso: string): string {
    // Asked for every line; the day changes rarely, and path.join was 1% of a busy edge's time.
    const day = iso.slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayFile = path.join(this.dir, `${this.direction === 'Send' ? 'SEND' : 'RECV'}${yyyymmdd(iso)}-1.LOG`);
    }
    return this.#dayFile;
  }

  #day = '';
  #dayFile = '';

  write(line: ProtocolLogLine): void {
    this.lines.push(line);
    // Trimmed in steps of a quarter, so the copy is paid once per 500 lines, not per line.
    if (this.lines.length > PROTOCOL_LOG_MEMORY_LINES * 1.25) this.lines = this.lines.slice(-PROTOCOL_LOG_MEMORY_LINES);
    // After close() the log directory may be gone (a temp dir removed at stop): lines a closing socket
    // still writes stay in memory only, never recreate the directory or throw.
    if (this.#closed) return;
    const file = this.fileFor(line.dateTime);
    if (!this.#files.has(file)) {
      // Once per file (a day, or after a failure): made with its header, synchronously; the rows go in batches.
      let fd = -1;
      if (!this.#tryWrite(file, () => {
        mkdirSync(this.dir, { recursive: true });
        if (!existsSync(file)) writeFileSync(file, header(this.direction, line.dateTime));
        fd = openSync(file, 'r+');
      })) return;
      this.#files.set(file, { fd, offset: fstatSync(fd).size, unconfirmed: new Map(), inFlight: 0, dead: false });
    }
    const row = csvLine([line.dateTime, line.connectorId, line.sessionId, line.sequence, line.local, line.remote, line.event, line.data, line.context]);
    const rows = this.#pending.get(file);
    if (rows) rows.push(row);
    else this.#pending.set(file, [row]);
    // Written off the event loop, one batch per BATCH_MS: a synchronous append per burst was 13% of a busy edge's time.
    this.#flushTimer ??= setTimeout(() => this.#writeBatches(), BATCH_MS).unref();
  }

  /** Gives each file's pending rows their position and leaves them unconfirmed until a write of them succeeds. */
  #assign(): [string, FileState][] {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    for (const [file, rows] of this.#pending) {
      const state = this.#files.get(file);
      if (!state) continue;
      const bytes = Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf8');
      state.unconfirmed.set(state.offset, { bytes, sent: false });
      state.offset += bytes.length;
    }
    this.#pending.clear();
    return [...this.#files];
  }

  #writeBatches(): void {
    for (const [file, state] of this.#assign()) {
      // A file removed since (logs/ deleted) is started again, with its header, by the next line written.
      if (state.unconfirmed.size > 0 && !existsSync(file)) {
        this.#lost(file, state, Object.assign(new Error(`${file} was removed`), { code: 'ENOENT' }));
        continue;
      }
      for (const [position, batch] of state.unconfirmed) {
        if (batch.sent) continue;
        batch.sent = true;
        state.inFlight += 1;
        writeAt(state.fd, batch.bytes, 0, batch.bytes.length, position, (e) => {
          state.inFlight -= 1;
          if (e) this.#lost(file, state, e);
          else {
            state.unconfirmed.delete(position);
            this.#failing = false;
          }
          release(state);
        });
      }
    }
  }

  /** The file cannot be written any more: the next line starts it again (with its header) or reports the failure. */
  #lost(file: string, state: FileState, e: Error): void {
    if (this.#files.get(file) === state) this.#files.delete(file);
    if (!state.dead) {
      state.dead = true;
      release(state);
    }
    // After close() the folder may be gone on purpose (a temp dir removed at stop): nothing to report.
    if (this.#closed) return;
    if (!this.#failing) this.onWriteError?.(file, e);
    this.#failing = true;
  }

  /**
   * Puts every line written so far in its file before this returns (tests and readers call it before reading the
   * files): pending rows and batches still on their way are written here, each at its own position.
   */
  flush(): void {
    for (const [file, state] of this.#assign()) {
      if (state.unconfirmed.size === 0) continue;
      const ok = this.#tryWrite(file, () => {
        for (const [position, batch] of state.unconfirmed) writeSync(state.fd, batch.bytes, 0, batch.bytes.length, position);
      });
      if (ok) state.unconfirmed.clear();
      else this.#lost(file, state, new Error(`${file} could not be written`));
    }
  }

  #tryWrite(file: string, write: () => void): boolean {
    try {
      write();
      this.#failing = false;
      return true;
    } catch (e) {
      if (!this.#failing) this.onWriteError?.(file, e as Error);
      this.#failing = true;
      return false;
    }
  }

  /** Writes what is buffered and stops writing files. */
  close(): void {
    this.flush();
    this.#closed = true;
    for (const [file, state] of this.#files) {
      this.#files.delete(file);
      state.dead = true;
      release(state);
    }
  }

  files(): string[] {
    this.flush();
    return [...this.#files.keys()];
  }

  /** The latest lines (PROTOCOL_LOG_MEMORY_LINES at least) as CSV text, all days, as a reader of the files would see them. */
  text(): string {
    return this.lines
      .map((l) => csvLine([l.dateTime, l.connectorId, l.sessionId, l.sequence, l.local, l.remote, l.event, l.data, l.context]))
      .join('\r\n');
  }
}

function header(direction: LogDirection, iso: string): string {
  return [
    '#Software: Microsoft Exchange Server',
    '#Version: 15.0.0.0',
    `#Log-type: SMTP ${direction} Protocol Log`,
    `#Date: ${iso}`,
    `#Fields: ${FIELDS}`,
    '',
  ].join('\r\n');
}

/** One session's writer: keeps the sequence number and endpoints so callers only say what happened. */
export class SessionLogger {
  #seq = 0;

  constructor(
    private readonly log: ProtocolLog | undefined,
    private readonly now: () => string,
    readonly connectorId: string,
    readonly sessionId: string,
    readonly local: string,
    readonly remote: string,
  ) {}

  write(event: LogEvent, data: string, context = ''): void {
    this.log?.write({
      dateTime: this.now(), connectorId: this.connectorId, sessionId: this.sessionId, sequence: this.#seq++,
      // Most lines have no line break: the replace (and its copy) only for those that do.
      local: this.local, remote: this.remote, event, data: data.includes('\n') ? data.replace(/\r?\n/g, ' ') : data, context,
    });
  }

  info(context: string, data = ''): void {
    this.write('*', data, context);
  }
}
