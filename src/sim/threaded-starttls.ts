// STARTTLS on an edge thread: smtp-server's and nodemailer's own upgrade code runs unchanged, except that the TLS socket
// it makes is the worker's (ThreadedSocket.startTls) instead of one doing the handshake on the main thread.
import tls from 'node:tls';
import { recipeOf } from './tls-context-recipes.js';
import { ThreadedSocket } from './threaded-socket.js';

/**
 * Runs `fn` with `tls[key]` replaced. Both libraries make their TLS socket synchronously inside their upgrade method
 * (`new tls.TLSSocket(plain, options)`, `tls.connect({ socket: plain, … })`), so the swap covers exactly that call and
 * nothing else can observe it; copying their upgrade code instead would lose their fixes (STARTTLS injection, timeouts).
 */
function during<K extends 'TLSSocket' | 'connect'>(key: K, replacement: (typeof tls)[K], fn: () => void): void {
  const original = tls[key];
  (tls as Record<K, unknown>)[key] = replacement;
  try {
    fn();
  } finally {
    (tls as Record<K, unknown>)[key] = original;
  }
}

type ServerConn = { upgrade(callback: () => void, secureCallback?: () => void): void };

/** The receiving edge (smtp-server): the TLS server socket of this connection's STARTTLS is made on its edge thread. */
export function serverStartTlsOnThread(conn: unknown): void {
  const c = conn as ServerConn;
  const upgrade = c.upgrade.bind(c);
  const Original = tls.TLSSocket;
  c.upgrade = (callback, secureCallback) => during('TLSSocket', function (this: unknown, plain: unknown, options: tls.TLSSocketOptions & { isServer?: boolean }) {
    const recipe = recipeOf(options?.secureContext);
    // A context this edge did not make (no recipe): the handshake stays on the main thread, over the threaded bytes.
    if (!(plain instanceof ThreadedSocket) || !recipe) return new Original(plain as never, options);
    return plain.startTls({ role: 'server', recipe, requestCert: options.requestCert, rejectUnauthorized: options.rejectUnauthorized });
  } as unknown as typeof tls.TLSSocket, () => upgrade(callback, secureCallback));
}

type ClientConn = { _upgradeConnection(callback: (err: Error | null, secured?: boolean) => void): void };

/** The sending edge (nodemailer): the TLS client of this session's STARTTLS runs on the edge thread that dialled it. */
export function clientStartTlsOnThread(conn: unknown): void {
  const c = conn as ClientConn;
  const upgrade = c._upgradeConnection.bind(c);
  const original = tls.connect;
  c._upgradeConnection = (callback) => during('connect', ((options: tls.ConnectionOptions, onSecure?: () => void) => {
    const recipe = recipeOf(options.secureContext);
    if (!(options.socket instanceof ThreadedSocket) || !recipe) return original(options, onSecure);
    const secure = options.socket.startTls({ role: 'client', recipe, servername: options.servername, rejectUnauthorized: options.rejectUnauthorized ?? true });
    if (onSecure) secure.once('secureConnect', onSecure);
    return secure;
  }) as typeof tls.connect, () => upgrade(callback));
}
