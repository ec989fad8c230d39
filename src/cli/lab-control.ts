// The control channel of a running lab: a JSON-over-HTTP listener on 127.0.0.1 that `lab send` (and tests) use to act inside it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomsecError, isDomsecError } from '../errors.js';
import type { Lab } from '../sim/index.js';
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
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new DomsecError('ERR_USAGE', 'The request body is too large.'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        reject(new DomsecError('ERR_USAGE', 'The request body is not JSON.'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * `onChange` runs after every action that can add evidence, so evidence.json stays current for doctor;
 * `onStop` on `POST /stop` (`domsec lab down`), after the reply is sent.
 */
export async function startLabControl(lab: Lab, onChange: () => void, onStop: () => void = () => undefined): Promise<LabControl> {
  const shells = new LabShells(lab);
  const send = async (r: SendRequest): Promise<MessageOutcome> => {
    const domain = r.from.slice(r.from.lastIndexOf('@') + 1);
    const sender = lab.sim.orgs.find((o) => o.model.domains.includes(domain.toLowerCase()));
    if (!sender) throw new DomsecError('ERR_USAGE', `No organization in lab ${lab.name} has the domain ${domain}; senders must be users of ${lab.sim.orgs.flatMap((o) => o.model.domains).join(', ')}.`);
    const messageId = await sender.send({ from: r.from, to: r.to, subject: r.subject ?? 'Domain Security test', body: r.body ?? 'Sent by domsec lab send.' });
    await lab.sim.settle();
    onChange();
    return messageOutcome(lab.sim, { messageId, from: r.from, to: r.to });
  };
  const routes: Record<string, (req: http.IncomingMessage, url: URL) => Promise<unknown>> = {
    'GET /status': async () => ({ lab: lab.name, at: lab.sim.clock.now().toISOString(), organizations: lab.sim.orgs.map((o) => o.name) }),
    'POST /send': async (req) => send((await readJson(req)) as SendRequest),
    'POST /shell': async (req) => {
      const r = (await readJson(req)) as { line?: string; org?: string; server?: string };
      if (typeof r.line !== 'string') throw new DomsecError('ERR_USAGE', 'A shell request needs "line".');
      const result = await shells.run(r.line, r.org, r.server);
      onChange();
      return { ...result, prompt: shells.prompt(r.org, r.server) };
    },
    'POST /stop': async () => {
      setImmediate(onStop);
      return { stopping: process.pid };
    },
    'GET /evidence': async () => ({ hops: lab.sim.evidence, queues: [lab.sim.orgs.flatMap((o) => o.queues())] }),
    'GET /mailbox': async (_req, url) => {
      const address = url.searchParams.get('address') ?? '';
      const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
      const org = lab.sim.orgs.find((o) => o.model.domains.includes(domain));
      if (!org) throw new DomsecError('ERR_USAGE', `No organization in lab ${lab.name} has the domain ${domain || '(none)'}: mailboxes are at ${lab.sim.orgs.flatMap((o) => o.model.domains).join(', ')}.`);
      // The raw text only when asked: it is the bulk of a mailbox and most callers read the parsed fields.
      const raw = url.searchParams.get('raw') === '1';
      return org.mailbox(address).map(({ raw: text, ...m }) => (raw ? { ...m, raw: text } : m));
    },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://lab');
    const route = routes[`${req.method} ${url.pathname}`];
    const reply = (status: number, body: unknown) => {
      // One request per connection: a client that blocks between requests (a test's spawnSync) must never reuse a socket
      // the server closed meanwhile for idling (undici's "other side closed"); the control channel is low-rate anyway.
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(body));
    };
    if (!route) return reply(404, { code: 'ERR_USAGE', message: `No such lab control request: ${req.method} ${url.pathname}` });
    route(req, url).then((body) => reply(200, body), (e: unknown) => {
      onChange();
      reply(isDomsecError(e) ? 400 : 500, { code: isDomsecError(e) ? e.code : 'ERR_SIM_STATE', message: (e as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The client side lives in lab-client.ts (no simulation code to load); re-exported for existing importers. */
export { callLab } from './lab-client.js';
