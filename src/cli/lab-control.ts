// The control channel of a running lab: a JSON-over-HTTP listener on 127.0.0.1 that `lab send` (and tests) use to act inside it.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalDomain } from '../ca/index.js';
import { DomsecError, isDomsecError } from '../errors.js';
import { adapterForExternal } from '../peers/external-adapter.js';
import type { MtaAdapter } from '../peers/mta-adapter.js';
import { type ExternalPeer, externalPeerOf, type Lab } from '../sim/index.js';
import { checkControlRequest, MAX_CONTROL_BODY, parseControlBody } from './control-request.js';
import { sendFromExternal } from './external-send.js';
import { type MessageOutcome, messageOutcome } from './lab-outcome.js';
import { LabShells } from './lab-shell.js';

export interface SendRequest {
  from: string;
  to: string[];
  subject?: string;
  body?: string;
}

export interface LabControl {
  port: number;
  /** Random per `lab up`; written to endpoints.json (mode 600) and required as a bearer token on every request. */
  token: string;
  close(): Promise<void>;
}

/** A refusal with its HTTP status; every one is answered as JSON `{ code, message }`. */
class Refusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Reads at most MAX_CONTROL_BODY bytes; past that the request is refused with 413 and the rest is not buffered. */
function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONTROL_BODY) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Refusal(413, `The request body is larger than ${MAX_CONTROL_BODY} bytes.`));
      } else chunks.push(c);
    });
    req.on('end', () => {
      const r = parseControlBody(Buffer.concat(chunks).toString('utf8'));
      if (r.ok) resolve(r.value);
      else reject(new Refusal(400, r.message));
    });
    req.on('error', reject);
  });
}

function sendRequestOf(v: Record<string, unknown>): SendRequest {
  const str = (x: unknown) => typeof x === 'string';
  if (!str(v.from) || !Array.isArray(v.to) || v.to.length === 0 || v.to.length > 100 || !v.to.every(str) || (v.subject !== undefined && !str(v.subject)) || (v.body !== undefined && !str(v.body))) {
    throw new Refusal(400, 'A send request is {"from": address, "to": [1 to 100 addresses], "subject"?: text, "body"?: text}.');
  }
  return v as unknown as SendRequest;
}

/**
 * `onChange` runs after every action that can add evidence, so evidence.json stays current for doctor;
 * `onStop` on `POST /stop` (`domsec lab down`), after the reply is sent.
 */
export async function startLabControl(lab: Lab, onChange: () => void, onStop: () => void = () => undefined): Promise<LabControl> {
  const token = randomBytes(32).toString('base64url');
  let port = 0;
  const shells = new LabShells(lab);
  // One adapter per external organization, made when first asked (a cmd: SPEC runs relative to where lab up was started).
  const adapters = new Map<ExternalPeer, MtaAdapter>();
  const adapterOf = (p: ExternalPeer) => adapters.get(p) ?? adapters.set(p, adapterForExternal(p, process.cwd())).get(p)!;
  const send = async (r: SendRequest): Promise<MessageOutcome> => {
    const domain = r.from.slice(r.from.lastIndexOf('@') + 1);
    const sender = lab.sim.orgs.find((o) => o.model.domains.includes(canonicalDomain(domain)));
    if (!sender) throw new DomsecError('ERR_USAGE', `No organization in lab ${lab.name} has the domain ${domain}; senders must be users of ${lab.sim.orgs.flatMap((o) => o.model.domains).join(', ')}.`);
    const outside = externalPeerOf(sender);
    if (outside) {
      const outcome = await sendFromExternal(lab, outside, adapterOf(outside), r);
      onChange();
      return outcome;
    }
    const messageId = await sender.send({ from: r.from, to: r.to, subject: r.subject ?? 'Domain Security test', body: r.body ?? 'Sent by domsec lab send.' });
    await lab.sim.settle();
    onChange();
    return messageOutcome(lab.sim, { messageId, from: r.from, to: r.to });
  };
  const routes: Record<string, (req: http.IncomingMessage, url: URL) => Promise<unknown>> = {
    'GET /status': async () => ({ lab: lab.name, at: lab.sim.clock.now().toISOString(), organizations: lab.sim.orgs.map((o) => o.name) }),
    'POST /send': async (req) => send(sendRequestOf(await readJson(req))),
    'POST /shell': async (req) => {
      const r = (await readJson(req)) as { line?: unknown; org?: unknown; server?: unknown };
      if (typeof r.line !== 'string' || (r.org !== undefined && typeof r.org !== 'string') || (r.server !== undefined && typeof r.server !== 'string')) {
        throw new Refusal(400, 'A shell request is {"line": text, "org"?: domain, "server"?: edge}.');
      }
      const result = await shells.run(r.line, r.org as string | undefined, r.server as string | undefined);
      onChange();
      return { ...result, prompt: shells.prompt(r.org as string | undefined, r.server as string | undefined) };
    },
    // `domsec cert issue --kind revoked` on a running lab: the serial goes on that CA's CRL at once (the CRL service serves it).
    'POST /revoke': async (req) => {
      const r = (await readJson(req)) as { domain?: unknown; serialNumber?: unknown; ca?: unknown };
      if (typeof r.domain !== 'string' || typeof r.serialNumber !== 'string' || (r.ca !== 'root' && r.ca !== 'issuing')) {
        throw new Refusal(400, 'A revoke request is {"domain": domain, "serialNumber": hex, "ca": "root" | "issuing"}.');
      }
      const org = lab.sim.org(r.domain);
      org.pki[r.ca].revoke(r.serialNumber);
      return { revoked: org.pki[r.ca].revokedSerials().map((x) => x.serialNumber) };
    },
    'POST /stop': async () => {
      setImmediate(onStop);
      return { stopping: process.pid };
    },
    'GET /evidence': async () => ({ hops: lab.sim.evidence, queues: [lab.sim.orgs.flatMap((o) => o.queues())] }),
    'GET /mailbox': async (_req, url) => {
      const address = url.searchParams.get('address') ?? '';
      const domain = canonicalDomain(address.slice(address.lastIndexOf('@') + 1));
      const org = lab.sim.orgs.find((o) => o.model.domains.includes(domain));
      if (!org) throw new DomsecError('ERR_USAGE', `No organization in lab ${lab.name} has the domain ${domain || '(none)'}: mailboxes are at ${lab.sim.orgs.flatMap((o) => o.model.domains).join(', ')}.`);
      // The raw text only when asked: it is the bulk of a mailbox and most callers read the parsed fields.
      const raw = url.searchParams.get('raw') === '1';
      return org.mailbox(address).map(({ raw: text, ...m }) => (raw ? { ...m, raw: text } : m));
    },
  };
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      if (res.headersSent || res.destroyed) return;
      // An answer is a moment the user may read the logs (or kill the lab): the batched protocol-log lines go first.
      for (const o of lab.sim.orgs) o.flushLogs();
      // One request per connection: a client that blocks between requests (a test's spawnSync) must never reuse a socket
      // the server closed meanwhile for idling (undici's "other side closed"); the control channel is low-rate anyway.
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(body));
    };
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const check = checkControlRequest(req, { port, token });
    if (!check.ok) {
      req.resume(); // the body, if any, is drained and dropped, never buffered
      return reply(check.status, { code: 'ERR_CONTROL_REFUSED', message: check.message });
    }
    const route = Object.hasOwn(routes, check.route) ? routes[check.route] : undefined;
    if (!route) return reply(404, { code: 'ERR_USAGE', message: `No such lab control request: ${check.route}` });
    route(req, check.url).then((body) => reply(200, body), (e: unknown) => {
      if (e instanceof Refusal) return reply(e.status, { code: 'ERR_CONTROL_REFUSED', message: e.message });
      onChange();
      reply(isDomsecError(e) ? 400 : 500, { code: isDomsecError(e) ? e.code : 'ERR_SIM_STATE', message: (e as Error).message });
    });
  });
  // A client that resets mid-request reports on the socket; Node answers malformed HTTP itself once this handler exists.
  server.on('clientError', (_e, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'); else socket.destroy(); });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => {
    server.removeListener('error', reject);
    server.on('error', () => undefined); // accept errors (EMFILE) after listen: the control port goes on
    resolve();
  }));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The client side lives in lab-client.ts (no simulation code to load); re-exported for existing importers. */
export { callLab } from './lab-client.js';
