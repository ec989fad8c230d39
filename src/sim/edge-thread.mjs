// An edge thread (edge-threads.ts): owns real TCP sockets and does their TLS, so the handshakes and record crypto of a
// lab's edges run beside the main thread. Only plaintext bytes and the facts of each handshake cross to the main
// thread, which keeps every SMTP state machine, decision, log and piece of evidence (the worker decides nothing).
// Plain JavaScript importing only plain JavaScript of the project (peer-chain.mjs): the same files run under tsx
// (tests) and from src/ when the command runs from dist/ (lab up).
import net from 'node:net';
import tls from 'node:tls';
import { parentPort } from 'node:worker_threads';
import { peerChainDer } from './peer-chain.mjs';

/** @type {Map<string, net.Server>} */
const listeners = new Map();
/** @type {Map<string, { current: net.Socket | tls.TLSSocket }>} by connection id */
const sockets = new Map();
/** The leaves only the simulation's own contexts send (simulated-leaves.ts), whose chain peer-chain.mjs reads once. */
const simulatedLeaves = new Set();
/** @type {Map<string, tls.SecureContext>} by recipe id (tls-context-recipes.ts) */
const contexts = new Map();
let accepted = 0;

/**
 * What this turn of the event loop has to say goes in one message: every postMessage wakes the main thread, and a busy
 * edge reads from many sockets per turn.
 */
let batch = [];
let transfers = [];
function post(m, transfer) {
  if (batch.length === 0) setImmediate(flush);
  batch.push(m);
  if (transfer) transfers.push(transfer);
}
function flush() {
  const b = batch;
  const t = transfers;
  batch = [];
  transfers = [];
  parentPort.postMessage(b, t);
}
/**
 * A Buffer is often a view into a larger slab (Node's 8 KB pool, a 64 KB read buffer), and posting a view copies its
 * whole ArrayBuffer: only its own bytes cross, in a buffer of their own that is handed over, not copied again.
 */
function own(b) {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  return new Uint8Array(b);
}
const postBytes = (m, data) => {
  const bytes = own(data);
  post({ ...m, data: bytes }, bytes.buffer);
};
const errorFacts = (e) => ({ message: e.message, code: e.code, reason: e.reason, library: e.library });

/** Forwards what `s` reads and how it ends; `entry.current` moves to the TLS socket at STARTTLS, the plain one goes quiet. */
function follow(cid, entry, s) {
  entry.current = s;
  s.on('data', (data) => { if (entry.current === s) postBytes({ t: 'data', cid }, data); });
  s.on('end', () => { if (entry.current === s) post({ t: 'end', cid }); });
  s.on('error', (e) => { if (entry.current === s) post({ t: 'error', cid, error: errorFacts(e) }); });
  s.once('close', (hadError) => {
    if (entry.current !== s) return;
    sockets.delete(cid);
    post({ t: 'close', cid, hadError });
  });
}

function adopt(cid, socket) {
  const entry = { current: socket };
  sockets.set(cid, entry);
  follow(cid, entry, socket);
  return entry;
}

/** What the main thread's facade answers for getCipher(), getProtocol(), getEphemeralKeyInfo()… (tls-description.ts). */
function facts(s) {
  const ephemeral = s.getEphemeralKeyInfo();
  const cipher = s.getCipher();
  // What keyExchangeBits (tls-description.ts) reads: the certificates' sizes only for static RSA key exchange, the
  // session (its key-exchange group) only when Node reports no ephemeral key (always so on the server side).
  const name = String(cipher.name).toUpperCase();
  const staticRsa = !name.startsWith('TLS_') && !name.includes('DHE');
  const sizes = staticRsa ? { ownBits: s.getCertificate()?.bits, peerBits: s.getPeerCertificate()?.bits } : {};
  const raw = ephemeral && ephemeral.size ? undefined : s.getSession();
  const session = raw ? own(raw) : undefined;
  return { protocol: s.getProtocol(), cipher, ephemeral, servername: s.servername, peerChain: peerChainDer(s, simulatedLeaves, raw), authorized: s.authorized, authorizationError: s.authorizationError, session, ...sizes };
}

function contextOf(recipe) {
  let c = contexts.get(recipe.id);
  if (!c) {
    c = tls.createSecureContext(recipe.options);
    if (contexts.size >= 256) contexts.delete(contexts.keys().next().value);
    contexts.set(recipe.id, c);
  }
  return c;
}

function startTls(m) {
  const entry = sockets.get(m.cid);
  if (!entry) return;
  const plain = entry.current;
  // The reply that precedes the upgrade (220) goes out in the same step: the client's hello cannot overtake it.
  if (m.head) plain.write(m.head);
  const secureContext = contextOf(m.recipe);
  plain.removeAllListeners('data');
  plain.removeAllListeners('end');
  plain.on('error', () => undefined);
  let s;
  if (m.role === 'server') {
    s = new tls.TLSSocket(plain, { isServer: true, secureContext, requestCert: m.requestCert, rejectUnauthorized: m.rejectUnauthorized });
    s.once('secure', () => {
      // A socket made without a tls.Server does not refuse an unverified client certificate itself (smtp-server's verifyPeerCertificate).
      const verifyError = m.requestCert ? s._handle?.verifyError?.() : undefined;
      if (verifyError) s.authorizationError = verifyError.code;
      else if (m.requestCert) s.authorized = true;
      if (verifyError && m.rejectUnauthorized) return s.destroy(verifyError);
      post({ t: 'secure', cid: m.cid, facts: facts(s) });
    });
  } else {
    s = tls.connect({ socket: plain, secureContext, rejectUnauthorized: m.rejectUnauthorized, servername: m.servername }, () => post({ t: 'secure', cid: m.cid, facts: facts(s) }));
  }
  follow(m.cid, entry, s);
}

function listen(m) {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    const cid = `a${++accepted}`;
    adopt(cid, socket);
    post({ t: 'accepted', lid: m.lid, cid, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, localAddress: socket.localAddress, localPort: socket.localPort });
  });
  server.once('error', (e) => post({ t: 'listen-failed', lid: m.lid, error: errorFacts(e) }));
  server.listen(m.port, m.host, () => {
    server.removeAllListeners('error');
    server.on('error', (e) => post({ t: 'accept-error', lid: m.lid, error: errorFacts(e) }));
    listeners.set(m.lid, server);
    post({ t: 'listening', lid: m.lid, port: server.address().port });
  });
}

function dial(m) {
  const s = net.connect({ host: m.host, port: m.port, ...(m.localAddress ? { localAddress: m.localAddress } : {}) });
  const timer = m.timeoutMs === undefined ? undefined : setTimeout(() => s.destroy(Object.assign(new Error(`no answer within ${m.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), m.timeoutMs);
  const failed = (e) => { clearTimeout(timer); post({ t: 'dial-failed', cid: m.cid, error: errorFacts(e) }); };
  s.once('error', failed);
  s.once('connect', () => {
    clearTimeout(timer);
    s.removeListener('error', failed);
    adopt(m.cid, s);
    post({ t: 'connected', cid: m.cid, remoteAddress: s.remoteAddress, remotePort: s.remotePort, localAddress: s.localAddress, localPort: s.localPort });
  });
}

parentPort.on('message', (messages) => { for (const m of messages) receive(m); });

function receive(m) {
  const entry = m.cid ? sockets.get(m.cid) : undefined;
  switch (m.t) {
    case 'write': entry?.current.write(m.data); break;
    case 'end': if (m.data) entry?.current.write(m.data); entry?.current.end(); break;
    case 'destroy': if (m.reset && entry?.current.resetAndDestroy) entry.current.resetAndDestroy(); else entry?.current.destroy(); break;
    case 'pause': entry?.current.pause(); break;
    case 'resume': entry?.current.resume(); break;
    case 'starttls': startTls(m); break;
    case 'listen': listen(m); break;
    case 'unlisten': {
      const server = listeners.get(m.lid);
      listeners.delete(m.lid);
      if (!server) post({ t: 'unlistened', lid: m.lid });
      else server.close(() => post({ t: 'unlistened', lid: m.lid }));
      break;
    }
    case 'dial': dial(m); break;
    case 'simulated-leaf': if (m.listed) simulatedLeaves.add(m.fingerprint); else simulatedLeaves.delete(m.fingerprint); break;
  }
}
