// Who may open a session on an edge right now: MaxInboundConnection and MaxInboundConnectionPerSource per receive
// connector, as Exchange counts them, and a short shedding spell after the edge ran out of file descriptors.
import type { ReceiveConnectorSettings } from '../orgs/index.js';
import { receiveConnectorIdentity } from '../orgs/index.js';
import { LIMIT_EVENTS, LIMIT_REPLIES, type LimitReply } from './limit-replies.js';

export type Admission =
  | { ok: true; release(): void }
  | { ok: false; reply: LimitReply; event: number; reason: string };

/** How long (real time) the edge refuses new sockets after an accept failed for lack of descriptors. */
export const SHED_MS = 1000;

export class InboundAdmission {
  #perConnector = new Map<string, number>();
  #perSource = new Map<string, number>();
  #shedUntil = 0;

  /** Counts the session in, or says which limit it is over (nothing is counted then). */
  admit(c: ReceiveConnectorSettings, ip: string): Admission {
    const id = receiveConnectorIdentity(c);
    const sourceKey = `${id}|${ip}`;
    const total = this.#perConnector.get(id) ?? 0;
    const fromSource = this.#perSource.get(sourceKey) ?? 0;
    if (c.maxInboundConnection !== 'Unlimited' && total >= c.maxInboundConnection) {
      return { ok: false, reply: LIMIT_REPLIES.tooManyConnections, event: LIMIT_EVENTS.perConnector,
        reason: `Receive connector ${id} rejected an incoming connection from IP address ${ip}. The maximum number of connections (${c.maxInboundConnection}) for this connector has been reached.` };
    }
    if (c.maxInboundConnectionPerSource !== 'Unlimited' && fromSource >= c.maxInboundConnectionPerSource) {
      return { ok: false, reply: LIMIT_REPLIES.tooManyFromSource, event: LIMIT_EVENTS.perSource,
        reason: `Receive connector ${id} rejected an incoming connection from IP address ${ip}. The maximum number of connections per source (${c.maxInboundConnectionPerSource}) for this connector has been reached by this source IP address.` };
    }
    this.#perConnector.set(id, total + 1);
    this.#perSource.set(sourceKey, fromSource + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#decrement(this.#perConnector, id);
        this.#decrement(this.#perSource, sourceKey);
      },
    };
  }

  /** Sessions counted now on a connector (for tests and Get-ReceiveConnector-like views). */
  open(c: ReceiveConnectorSettings): number {
    return this.#perConnector.get(receiveConnectorIdentity(c)) ?? 0;
  }

  /** An accept failed (EMFILE/ENFILE): refuse new sockets for SHED_MS so descriptors come back. */
  acceptFailed(nowRealMs: number): void {
    this.#shedUntil = nowRealMs + SHED_MS;
  }

  shedding(nowRealMs: number): boolean {
    return nowRealMs < this.#shedUntil;
  }

  #decrement(m: Map<string, number>, key: string): void {
    const n = (m.get(key) ?? 1) - 1;
    if (n <= 0) m.delete(key);
    else m.set(key, n);
  }
}
