// ConnectionTimeout and ConnectionInactivityTimeout of a receive connector, applied to one smtp-server connection.
//
// Two clocks, decided so that no DS outcome depends on the machine's speed (docs/model-choices.md):
// - A session the simulation itself dialled (a simulated edge or probe) is timed on the VIRTUAL clock, checked as each
//   command arrives: virtual time only moves through simulated events (tarpits, delays, advance), so the outcome is
//   the same on every machine. Its real-time guards never fire before generous floors (5 min idle, 5 min in all),
//   which only a hung process reaches: a 50-organization mesh sent at once keeps a session waiting well over 30 s.
// - A session from outside (`lab up` and swaks, openssl, a real MTA) is timed in REAL time at the configured values:
//   there the deadlines protect the lab from idle or trickling clients, and decide no scenario outcome.
import type { ReceiveConnectorSettings } from '../orgs/index.js';
import type { VirtualClock } from './clock.js';
import { LIMIT_REPLIES } from './limit-replies.js';

/** Real-time floors for simulated sessions: far above any session's real duration, however loaded the machine. */
export const SIMULATED_IDLE_FLOOR_MS = 5 * 60_000;
export const SIMULATED_SESSION_FLOOR_MS = 5 * 60_000;

interface DeadlineConn {
  send(code: number, text: string): void;
  close(): void;
  _socket: { destroy(): void; setTimeout(ms: number, cb?: () => void): unknown };
  _closing?: boolean;
  _handlerPending?: boolean;
  _dataStream?: unknown;
  _parser?: { _dataMode?: boolean } | false;
  _armTimeout(socket?: DeadlineConn['_socket']): void;
  _onTimeout(): void;
  _onCommand(command: Buffer, cb?: () => void): void;
}

export interface DeadlineOptions {
  connector: ReceiveConnectorSettings;
  clock: VirtualClock;
  /** Asked late (when a timer fires or a command arrives): the dialling side registers its endpoint just after connect. */
  simulated: () => boolean;
  /** Writes the reason to the session's protocol log. */
  note: (text: string) => void;
}

export function applySessionDeadlines(connection: unknown, o: DeadlineOptions): { stop(): void } {
  const conn = connection as DeadlineConn;
  const c = o.connector;
  const startedReal = Date.now();
  const startedVirtual = o.clock.nowMs();
  let lastVirtual = startedVirtual;
  let stopped = false;

  const timeOut = (reply: { code: number; text: string }, why: string) => {
    if (stopped || conn._closing) return;
    o.note(why);
    conn.send(reply.code, reply.text);
    conn.close();
  };

  // Inactivity in real time: smtp-server's idle timer, re-armed on every byte, with the connector's value.
  let armedFor = 0;
  conn._armTimeout = (socket = conn._socket) => {
    armedFor = c.connectionInactivityTimeout;
    socket.setTimeout(armedFor, () => conn._onTimeout());
  };
  conn._onTimeout = () => {
    if (conn._closing) {
      conn._socket.destroy();
      return;
    }
    // Waiting for our own handler (or the DATA decision) is not the client's silence.
    if (conn._handlerPending || (conn._dataStream && conn._parser && !conn._parser._dataMode)) {
      conn._armTimeout();
      return;
    }
    if (o.simulated() && armedFor < SIMULATED_IDLE_FLOOR_MS) {
      const rest = SIMULATED_IDLE_FLOOR_MS - armedFor;
      armedFor = SIMULATED_IDLE_FLOOR_MS;
      conn._socket.setTimeout(rest, () => conn._onTimeout());
      return;
    }
    timeOut(LIMIT_REPLIES.inactivityTimeout, `ConnectionInactivityTimeout ${c.connectionInactivityTimeout / 1000} s reached`);
  };

  // The whole session in real time, busy or not (a client trickling one byte a second cannot hold a session for ever).
  let total: NodeJS.Timeout | undefined;
  const armTotal = (ms: number) => {
    total = setTimeout(() => {
      const elapsed = Date.now() - startedReal;
      if (o.simulated() && elapsed < SIMULATED_SESSION_FLOOR_MS) return armTotal(SIMULATED_SESSION_FLOOR_MS - elapsed);
      timeOut(LIMIT_REPLIES.connectionTimeout, `ConnectionTimeout ${c.connectionTimeout / 1000} s reached`);
    }, ms);
    total.unref();
  };
  armTotal(c.connectionTimeout);

  // Simulated sessions: both deadlines on the virtual clock, checked as each command arrives.
  const onCommand = conn._onCommand.bind(conn);
  conn._onCommand = (command, cb) => {
    if (!stopped && o.simulated()) {
      const now = o.clock.nowMs();
      if (now - startedVirtual > c.connectionTimeout) {
        timeOut(LIMIT_REPLIES.connectionTimeout, `ConnectionTimeout ${c.connectionTimeout / 1000} s reached (virtual clock)`);
        return cb?.();
      }
      if (now - lastVirtual > c.connectionInactivityTimeout) {
        timeOut(LIMIT_REPLIES.inactivityTimeout, `ConnectionInactivityTimeout ${c.connectionInactivityTimeout / 1000} s reached (virtual clock)`);
        return cb?.();
      }
      lastVirtual = now;
    }
    onCommand(command, cb);
  };

  return {
    stop: () => {
      stopped = true;
      if (total) clearTimeout(total);
    },
  };
}
