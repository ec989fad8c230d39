// Durable state of a long-running lab (`domsec lab up`, DS-QUEUE-01…05 across restarts): every mailbox delivery and
// every queued message is written and fsync'd before the edge answers 250 or the submission returns, and a lab
// started again on the same folder gets its mailboxes back and its queues recovered (delivered, or NDR'd if expired).
// Scenarios do not use it: they stay in memory for speed.
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DomsecError } from '../errors.js';
import { GroupedAppend } from './grouped-append.js';
import { scanMailboxFile } from './mailbox-file.js';
import type { SimOrganization } from './sim-organization.js';
import type { Simulation } from './simulation.js';
import type { QueuedForJournal } from './transport-service.js';

/** One queued message for one next hop, as a queue file holds it. */
export type JournalItem = QueuedForJournal;

interface QueueFile {
  version: 1;
  /** Wall clock of the write: the time the lab was down counts towards each message's age. */
  writtenAt: string;
  /** The lab's virtual clock at the write, in ms. */
  clockMs: number;
  /** How many message ids the lab had handed out: a restarted lab continues the sequence instead of reusing ids. */
  messageIds: number;
  items: JournalItem[];
}

export interface RecoveredState {
  mailboxMessages: number;
  queuedMessages: number;
}

/** Writes `text` to `path` so that after a crash either the old or the new content is there, complete, on disk. */
export function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDir(join(path, '..'));
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends one line and fsyncs it: the caller answers only after this returns. */
function appendDurably(path: string, line: string): void {
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Ends a line a crash cut short, so the next delivery appended starts a line of its own (and is read back). */
function endLine(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 10) {
      writeSync(fd, '\n', size);
      fsyncSync(fd);
    }
  } finally {
    closeSync(fd);
  }
}

function unwritable(path: string, e: unknown): DomsecError {
  return new DomsecError('ERR_LAB_STATE', `The lab could not write its durable state to ${path} (${(e as Error).message}); the message was not accepted. Free space or fix the folder's permissions.`, { path });
}

/** A file name for an organization that cannot leave the state folder, whatever the organization is called. */
function fileKey(org: SimOrganization): string {
  return encodeURIComponent(org.name.toLowerCase()).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
}

export class QueueJournal {
  readonly dir: string;
  #messageIds = 0;

  constructor(private readonly sim: Simulation, stateDir: string) {
    this.dir = stateDir;
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  }

  mailboxFile(org: SimOrganization): string {
    return join(this.dir, `${fileKey(org)}.mailboxes.jsonl`);
  }

  /** This run's message tracking log beyond the latest entries (tracking-log.ts); started empty by each run. */
  trackingFile(org: SimOrganization): string {
    return join(this.dir, `${fileKey(org)}.tracking.jsonl`);
  }

  queueFile(org: SimOrganization): string {
    return join(this.dir, `${fileKey(org)}.queue.json`);
  }

  /**
   * Restores what a previous run left, then makes every later change durable. Queued messages are handed back to
   * their transport, which tries them at once (or returns them to the sender when their lifetime has passed).
   */
  async attach(): Promise<RecoveredState> {
    const state: RecoveredState = { mailboxMessages: 0, queuedMessages: 0 };
    const recoveries: { org: SimOrganization; items: JournalItem[]; ageOffsetMs: number }[] = [];
    let ids = 0;
    for (const org of this.sim.orgs) {
      const mailboxes = this.mailboxFile(org);
      // Every delivery is in the file before it counts: memory holds the latest, the file answers for the rest.
      org.mailboxes.keepOnDisk(mailboxes);
      org.obs.keepTrackingOnDisk(this.trackingFile(org));
      if (existsSync(mailboxes)) {
        // A line cut short by a crash was never acknowledged: the scan skips it.
        scanMailboxFile(mailboxes, (rec) => {
          org.mailboxes.restore(rec.address, rec.message);
          state.mailboxMessages++;
        });
        endLine(mailboxes);
      }
      const queue = readQueueFile(this.queueFile(org));
      if (queue) {
        ids = Math.max(ids, queue.messageIds);
        // Age the messages by the virtual time they had spent queued plus the wall-clock time the lab was down.
        const down = Math.max(0, Date.now() - Date.parse(queue.writtenAt));
        recoveries.push({ org, items: queue.items, ageOffsetMs: this.sim.clock.nowMs() - queue.clockMs - down });
        state.queuedMessages += queue.items.length;
      }
    }
    // Continue the id sequence, so a new message never takes the id of a recovered one.
    this.#messageIds = ids;
    for (let i = 0; i < ids; i++) this.sim.ctx.ids.next('message');
    for (const org of this.sim.orgs) {
      const file = this.mailboxFile(org);
      org.mailboxes.onDeliver = (address, message) => {
        try {
          appendDurably(file, JSON.stringify({ address, message }));
        } catch (e) {
          throw unwritable(file, e);
        }
      };
      // The receiving edge's deliveries share one write+fsync per moment, off the event loop (an fsync per message
      // on the main thread was a quarter of a busy edge's time); the 250 still waits for it.
      const grouped = new GroupedAppend(file);
      org.mailboxes.onDeliverGrouped = (address, message) => grouped.append(JSON.stringify({ address, message })).catch((e: unknown) => {
        throw unwritable(file, e);
      });
      org.transport.onQueueChange = (items) => this.#writeQueue(org, items);
    }
    for (const r of recoveries) {
      // Submitted that long ago on the new clock: expiry and delay notices keep their deadlines.
      await r.org.transport.recover(r.items.map((it) => ({ ...it, message: { ...it.message, submittedAt: it.message.submittedAt + r.ageOffsetMs } })));
    }
    for (const org of this.sim.orgs) this.#writeQueue(org, org.transport.journalItems());
    return state;
  }

  #writeQueue(org: SimOrganization, items: readonly QueuedForJournal[]): void {
    const file = this.queueFile(org);
    const body: QueueFile = {
      version: 1, writtenAt: new Date().toISOString(), clockMs: this.sim.clock.nowMs(), messageIds: this.#usedIds(), items: items.map((i) => ({ ...i })),
    };
    try {
      writeDurably(file, `${JSON.stringify(body)}\n`);
    } catch (e) {
      throw unwritable(file, e);
    }
  }

  /** Ids handed out by this run (continuing the recovered sequence): recorded so the next restart continues it too. */
  #usedIds(): number {
    const n = this.sim.ctx.ids.peek('message');
    this.#messageIds = Math.max(this.#messageIds, n);
    return this.#messageIds;
  }
}

function readQueueFile(path: string): QueueFile | undefined {
  if (!existsSync(path)) return undefined;
  let q: QueueFile;
  try {
    q = JSON.parse(readFileSync(path, 'utf8')) as QueueFile;
  } catch (e) {
    throw new DomsecError('ERR_LAB_STATE', `The lab's queue file ${path} cannot be read (${(e as Error).message}); the queued messages in it would be lost. Move the file away to start with an empty queue.`, { path });
  }
  if (q.version !== 1 || !Array.isArray(q.items)) {
    throw new DomsecError('ERR_LAB_STATE', `The lab's queue file ${path} is not a queue file of this version; move it away to start with an empty queue.`, { path });
  }
  return q;
}
