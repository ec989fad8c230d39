// The project's DS policy service on a loopback socket: speaks Postfix's policy delegation protocol (name=value lines, blank line)
// and the same framing for Exim's ${readsocket}; the MTA-specific handler turns each request into an answer.
import { createServer, type Server, type Socket } from 'node:net';
import { DomsecError } from '../../errors.js';

export type PolicyAttributes = Record<string, string>;

export interface PolicyAnswer {
  /** Bytes written back, exactly. */
  text: string;
  /** Exim's readsocket reads until EOF; Postfix keeps the connection for the next request. */
  close: boolean;
}

export type PolicyHandler = (attrs: PolicyAttributes) => Promise<PolicyAnswer>;

export interface RunningPolicyServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Parses one request block; values keep everything after the first `=` (Postfix xtext is decoded by the caller). */
export function parseAttributes(block: string): PolicyAttributes {
  const out: PolicyAttributes = {};
  for (const line of block.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).replace(/\r$/, '');
  }
  return out;
}

const MAX_REQUEST = 256 * 1024;

export async function startPolicyServer(handler: PolicyHandler, address = '127.0.0.1'): Promise<RunningPolicyServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = '';
    let busy = Promise.resolve();
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      if (buf.length > MAX_REQUEST) return void socket.destroy();
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        // Requests on one connection are answered in order (Postfix pipelines nothing, but be safe).
        busy = busy.then(async () => {
          const answer = await handler(parseAttributes(block)).catch((e: unknown) => ({
            text: `action=451 4.3.0 Domain security policy service error\n\n`, close: true, error: e,
          }));
          if (socket.destroyed) return;
          if (answer.close) socket.end(answer.text);
          else socket.write(answer.text);
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new DomsecError('ERR_MTA_START', `The domain security policy service could not listen on ${address}: ${e.message}`, {}, { cause: e })));
    server.listen(0, address, () => resolve());
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new DomsecError('ERR_MTA_START', 'The policy service has no TCP address.');
  return {
    address,
    port: bound.port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
