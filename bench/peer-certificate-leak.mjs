// Node 20's TLSSocket#getPeerX509Certificate() keeps native memory per call (issue 12 item 7, the long run's native
// growth): mutual-TLS handshakes on one process, each side reading its peer's certificates one of four ways (the last,
// peerChainDer, is what the simulation reads with), RSS after a forced GC every 2,000 handshakes and the read's cost.
// As in the simulation, each side sends its certificate and the issuing CA, not the root, and the contexts hold no
// private root. Alone: node bench/peer-certificate-leak.mjs [WAY]
// Needs openssl (it makes a throw-away root, issuing CA, server and client certificate). Printed, never asserted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { peerChainDer } from '../src/sim/peer-chain.mjs';

const dir = mkdtempSync(join(tmpdir(), 'domsec-peer-leak-'));
const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=leak-root', '-days', '3');
ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=leak-issuing');
writeFileSync(join(dir, 'int.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
ssl('x509', '-req', '-in', 'int.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-extfile', 'int.ext', '-out', 'int.pem', '-days', '2');
for (const n of ['srv', 'cli']) {
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${n}.key`, '-out', `${n}.csr`, '-subj', `/CN=${n}`);
  ssl('x509', '-req', '-in', `${n}.csr`, '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', `${n}.pem`, '-days', '1');
}
const file = (f) => readFileSync(join(dir, f), 'utf8');
const context = (n) => tls.createSecureContext({ key: file(`${n}.key`), cert: file(`${n}.pem`) + file('int.pem') });
const READS = {
  none: () => undefined,
  getPeerX509Certificate: (s) => s.getPeerX509Certificate(),
  'getPeerCertificate(true)': (s) => s.getPeerCertificate(true),
  'getPeerCertificate(false)': (s) => s.getPeerCertificate(false),
  peerChainDer: (s) => { if (peerChainDer(s).length !== 2) throw new Error('peerChainDer did not read leaf and issuing CA'); },
};

async function run(name, handshakes = 8000) {
  const read = READS[name];
  const server = context('srv');
  const client = context('cli');
  let spent = 0n;
  const timed = (s) => { const t0 = process.hrtime.bigint(); read(s); spent += process.hrtime.bigint() - t0; };
  const srv = net.createServer((raw) => {
    const s = new tls.TLSSocket(raw, { isServer: true, secureContext: server, requestCert: true, rejectUnauthorized: false, server: srv });
    s.on('secure', () => { timed(s); s.end('bye'); });
    s.on('error', () => undefined);
  });
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const one = () => new Promise((ok) => {
    const c = tls.connect({ port: srv.address().port, host: '127.0.0.1', secureContext: client, rejectUnauthorized: false });
    c.on('secureConnect', () => timed(c));
    c.on('data', () => undefined);
    c.on('close', ok);
    c.on('error', ok);
  });
  const rss = [];
  for (let i = 1; i <= handshakes; i++) {
    await one();
    if (i % 2000 === 0) { globalThis.gc?.(); rss.push((process.memoryUsage().rss / 1e6).toFixed(0)); }
  }
  await new Promise((ok) => srv.close(ok));
  return `${name.padEnd(26)} RSS every 2,000 handshakes: ${rss.join(' → ')} MB; ${(Number(spent) / 1e3 / (handshakes * 2)).toFixed(0)} µs per read`;
}

// Each way in a process of its own, so one way's growth is not counted in the next one's RSS.
try {
  const only = process.argv[2];
  if (only) console.log(await run(only));
  else for (const name of Object.keys(READS)) process.stdout.write(execFileSync(process.execPath, ['--expose-gc', process.argv[1], name], { encoding: 'utf8' }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
