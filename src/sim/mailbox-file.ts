// Reading back a durable lab's mailbox file (`state/<org>.mailboxes.jsonl`, queue-journal.ts): one JSON line per
// delivery, `{ address, message }`, in the order they were made durable. Read in chunks, so a long file is never one string.
import { closeSync, openSync, readSync } from 'node:fs';
import { DomsecError } from '../errors.js';
import type { DeliveredMessage } from './message.js';

export interface MailboxRecord {
  address: string;
  message: DeliveredMessage;
}

const CHUNK = 1 << 20;

/** A line cut short by a crash was never acknowledged: skipped, as a restart skips it. */
export function parseMailboxLine(line: string): MailboxRecord | undefined {
  if (!line.trim()) return undefined;
  try {
    const rec = JSON.parse(line) as MailboxRecord;
    return typeof rec?.address === 'string' && rec.message ? rec : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `visit` with each record in file order until it returns true. `hint`: a text every wanted line contains
 * (a message id): other lines are not parsed, which makes a search of a long mailbox cost a read, not a parse.
 */
export function scanMailboxFile(path: string, visit: (rec: MailboxRecord) => boolean | void, hint?: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DomsecError('ERR_LAB_STATE', `The lab's mailbox file ${path} cannot be read (${(e as Error).message}); older mailbox messages are kept only there.`, { path });
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const rest = hint === undefined ? everyLine(data, visit) : linesWith(data, hint, visit);
      if (rest < 0) return;
      carry = Buffer.from(data.subarray(rest)); // a copy: `buf` is read into again
    }
    // A last line without its newline was being written when the lab stopped, or is being written now: not yet durable.
  } finally {
    closeSync(fd);
  }
}

/** Visits each whole line of `data`; returns where the unfinished last line starts, or -1 once `visit` said stop. */
function everyLine(data: Buffer, visit: (rec: MailboxRecord) => boolean | void): number {
  let start = 0;
  for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
    const rec = parseMailboxLine(data.toString('utf8', start, nl));
    if (rec && visit(rec) === true) return -1;
    start = nl + 1;
  }
  return start;
}

/** As everyLine, for the lines that contain `hint` only: the search runs over the bytes, lines are cut out around each hit. */
function linesWith(data: Buffer, hint: string, visit: (rec: MailboxRecord) => boolean | void): number {
  let start = 0;
  for (let at = data.indexOf(hint, start, 'utf8'); at >= 0; at = data.indexOf(hint, start, 'utf8')) {
    const nl = data.indexOf(10, at);
    if (nl < 0) break;
    const rec = parseMailboxLine(data.toString('utf8', data.lastIndexOf(10, at) + 1, nl));
    if (rec && visit(rec) === true) return -1;
    start = nl + 1;
  }
  // Keep the unfinished last line only: a hint cut in two by the chunk's end is found again in it.
  return data.lastIndexOf(10) + 1;
}

