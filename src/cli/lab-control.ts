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

/** `onChange` runs after every action that can add evidence, so evidence.json stays current for doctor. */
export async function startLabControl(lab: Lab, onChange: () => void): Promise<LabControl> {
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
    'GET /evidence': async () => ({ hops: lab.sim.evidence, queues: [lab.sim.orgs.flatMap((o) => o.queues())] }),
    'GET /mailbox': async (_req, url) => {
      const address = url.searchParams.get('address') ?? '';
      const org = lab.sim.orgs.find((o) => o.model.domains.includes(address.slice(address.lastIndexOf('@') + 1).toLowerCase()));
      return (org?.mailbox(address) ?? []).map(({ raw: _raw, ...m }) => m);
    },
  };
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // A malformed request target (`GET http://[`) must get a 400, not an exception that ends the lab.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://lab');
    } catch {
      res.setHeader('connection', 'close');
      return reply(400, { code: 'ERR_USAGE', message: 'The request target is not a valid URL path.' });
    }
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return reply(404, { code: 'ERR_USAGE', message: `No such lab control request: ${req.method} ${url.pathname}` });
    route(req, url).then((body) => reply(200, body), (e: unknown) => {
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
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The client side, for `lab send`: a lab that is not running is a usage error with the command that starts one. */
export async function callLab<T>(control: { host: string; port: number }, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`http://${control.host}:${control.port}${path}`, {
      method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (e) {
    throw new DomsecError('ERR_USAGE', `No lab answers on ${control.host}:${control.port}: start one with "domsec lab up --dir <dir>" (${(e as Error).message}).`);
  }
  const json = (await res.json()) as T & { code?: string; message?: string };
  if (!res.ok) throw new DomsecError(json.code === 'ERR_USAGE' ? 'ERR_USAGE' : 'ERR_SIM_STATE', json.message ?? `The lab answered ${res.status}.`);
  return json;
}
