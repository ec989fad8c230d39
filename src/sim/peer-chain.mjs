// The certificates a TLS peer sent, leaf first, as DER: read on the main thread (peer-certificates.ts) and on an edge
// thread (edge-thread.mjs). Plain JavaScript with no imports of the project, so an edge thread can load it from src/
// whether the command runs under tsx or from dist/.
import { hash } from 'node:crypto';

/**
 * Linked as OpenSSL and Windows' chain engine link them (issuer name and key identifiers, X509_check_issued): each
 * certificate followed by the one that issued it. A certificate sent that does not link is left out: a forged leaf sent
 * with the genuine issuing CA (whose key identifier is not the one the leaf names) stands alone, and validation finds no
 * trusted issuer for it (UntrustedRoot). A root the peer did not send is not added: path building takes it from the
 * trusted roots itself.
 *
 * Read with getPeerCertificate(true), which links the chain itself and keeps no memory. Not with
 * getPeerX509Certificate(): in Node 20.20 it keeps ~9 kB of native memory per call (bench/peer-certificate-leak.mjs),
 * the long-running lab's native growth. getPeerCertificate(true) has one difference: after what the peer sent it
 * appends issuers it finds in the context's trusted store (Node's GetLastIssuedCert), so a chain ending in a
 * self-signed certificate may end in one the peer did not send. Only then, when the two cannot be told apart, the
 * chain is read again from getPeerX509Certificate(), which holds exactly what was sent. The simulation's edges never
 * send their root and their contexts hold no private root (except the rejectUntrustedClientCertificateInHandshake
 * quirk), so a simulated session never takes that path; an outside MTA that sends its root, or holds a public CA's
 * certificate, does.
 *
 * Call once per socket: getPeerX509Certificate() takes the certificates off the TLS session's own list, so a later
 * call of either sees only the leaf.
 * @param {import('node:tls').TLSSocket} socket
 * @param {{ has(fingerprint: string): boolean }} [simulated] leaves (SHA-256 of the DER, lowercase hex) that only the
 *   simulation's own contexts send, each always with the same certificates (simulated-leaves.ts): read once, see readOnce
 * @param {Uint8Array} [session] the socket's getSession(), when the caller has it already
 * @returns {Uint8Array[]}
 */
export function peerChainDer(socket, simulated, session) {
  if (simulated && !socket.isSessionReused()) {
    const leaf = sessionLeaf(session ?? socket.getSession());
    const fingerprint = leaf && hash('sha256', leaf);
    if (fingerprint && simulated.has(fingerprint)) return readOnce(socket, fingerprint);
  }
  return readChainDer(socket);
}

/**
 * Certificates read once (issue 12 item 5). Reading the issuers costs a copy of each certificate, which OpenSSL 3.0
 * decodes again under process-wide locks: ~0.2–1 ms a certificate, half an edge thread's time in a full mesh. A leaf
 * that only the simulation's own TLS contexts send (simulated-leaves.ts: each always with the same certificates after
 * it) is read in full the first time on this thread, and after that only the leaf's bytes are looked at. The
 * verification result OpenSSL reached on this socket is part of the key: an outside MTA given the same certificate
 * that sends it without its issuing CA, or with its root, gets another result (21 or 19, not 20) and is read in full.
 * What the simulation's own contexts send never changes, so the chain is the one a full read gives. The arrays are
 * shared by every session of the key: nothing writes to them, and they cross to the main thread as copies.
 */
const readChains = new Map();
const MAX_READ_CHAINS = 4096;

function readOnce(socket, fingerprint) {
  // authorizationError is set on a verified socket by Node (client) or tls.Server and edge-thread.mjs (server); asked of
  // OpenSSL only when absent, as it makes an Error each time.
  const result = socket.authorizationError ?? socket._handle?.verifyError?.()?.code ?? 'OK';
  const key = `${fingerprint} ${result}`;
  let chain = readChains.get(key);
  if (!chain) {
    chain = readChainDer(socket);
    if (readChains.size >= MAX_READ_CHAINS) readChains.clear();
    readChains.set(key, chain);
  }
  return chain;
}

/**
 * The peer's leaf as it sent it, from the TLS session's own encoding (SSL_SESSION's `peer [3] EXPLICIT Certificate`):
 * getPeerCertificate(false) describes the certificate (names, key, three digests), ~30 µs alone and ~200 µs with two
 * threads at it; this is ~10 µs. Undefined when the encoding is not as expected: the chain is then read in full.
 */
function sessionLeaf(session) {
  if (!session || session[0] !== 0x30) return undefined;
  let i = 1;
  const length = () => {
    let l = session[i++];
    if (l & 0x80) {
      let n = l & 0x7f;
      if (n > 4) return -1;
      for (l = 0; n > 0; n--) l = l * 256 + session[i++];
    }
    return l;
  };
  const outer = length();
  if (outer < 0 || i + outer > session.length) return undefined;
  for (const end = i + outer; i < end;) {
    const tag = session[i++];
    const l = length();
    if (l < 0 || i + l > end) return undefined;
    if (tag === 0xa3) return session[i] === 0x30 ? session.subarray(i, i + l) : undefined;
    i += l;
  }
  return undefined;
}

function readChainDer(socket) {
  const chain = [];
  const seen = new Set();
  for (let c = socket.getPeerCertificate(true); c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    chain.push(c);
  }
  const last = chain[chain.length - 1];
  if (chain.length > 1 && last.issuerCertificate === last) return sentChainDer(socket);
  return chain.map((c) => new Uint8Array(c.raw));
}

/** What the peer sent, from getPeerX509Certificate() (in the order sent), linked as above. */
function sentChainDer(socket) {
  const sent = [];
  const seen = new Set();
  for (let c = socket.getPeerX509Certificate(); c && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    sent.push(c);
  }
  if (sent.length === 0) return [];
  const linked = [sent[0]];
  const rest = sent.slice(1);
  for (let current = sent[0]; ;) {
    const i = rest.findIndex((c) => current.checkIssued(c));
    if (i < 0) break;
    current = rest.splice(i, 1)[0];
    linked.push(current);
  }
  return linked.map((c) => new Uint8Array(c.raw));
}
