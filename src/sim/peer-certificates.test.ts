// The presented chain is read from the socket as the peer sent it, linked issuer by issuer as OpenSSL links it, on both
// ends, however often it is asked.
import { hash } from 'node:crypto';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { Certificate, CertificateAuthority, type KeyedCertificate } from '../ca/index.js';
import { peerCertificates } from './peer-certificates.js';
import { peerChainDer } from './peer-chain.mjs';
import { noteSentCertificates, simulatedLeaves } from './simulated-leaves.js';

const NOW = new Date('2026-01-15T12:00:00Z');

const pem = (cs: Certificate[]) => cs.map((c) => c.pem).join('\n');

type Read = (s: tls.TLSSocket) => Certificate[];

/** One mutual-TLS handshake; what each end read of the other's chain, asked twice. */
async function handshake(server: { key: string; chain: Certificate[]; trusts?: Certificate[] }, client: { key: string; chain: Certificate[]; trusts?: Certificate[] }, read: Read = peerCertificates) {
  let serverSaw: Certificate[][] = [];
  const srv = tls.createServer({ key: server.key, cert: pem(server.chain), ...(server.trusts ? { ca: pem(server.trusts) } : {}), requestCert: true, rejectUnauthorized: false }, (s) => {
    serverSaw = [read(s), read(s)];
    s.end();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const clientSaw = await new Promise<Certificate[][]>((resolve, reject) => {
      const c = tls.connect({ host: '127.0.0.1', port: (srv.address() as { port: number }).port, key: client.key, cert: pem(client.chain), ...(client.trusts ? { ca: pem(client.trusts) } : {}), rejectUnauthorized: false }, () => {
        const saw = [read(c), read(c)];
        c.on('close', () => resolve(saw));
      });
      c.on('error', reject);
      c.resume();
    });
    return { serverSaw, clientSaw };
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
}

describe('peerCertificates', () => {
  let root: CertificateAuthority;
  let issuing: CertificateAuthority;
  let forgedIssuing: CertificateAuthority;
  let a: KeyedCertificate;
  let b: KeyedCertificate;
  let forged: KeyedCertificate;

  beforeAll(async () => {
    root = await CertificateAuthority.createRoot({ name: 'Peer Root CA', now: NOW, serialSeed: 'peer-root' });
    issuing = await root.createSubordinate({ name: 'Peer Issuing CA', serialSeed: 'peer-issuing' });
    a = await issuing.issue({ commonName: 'a.peer.example', dnsNames: ['a.peer.example'] });
    b = await issuing.issue({ commonName: 'b.peer.example', dnsNames: ['b.peer.example'] });
    const otherRoot = await CertificateAuthority.createRoot({ name: 'Peer Root CA', now: NOW, serialSeed: 'peer-forged-root' });
    forgedIssuing = await otherRoot.createSubordinate({ name: 'Peer Issuing CA', serialSeed: 'peer-forged-issuing' });
    forged = await forgedIssuing.issue({ commonName: 'a.peer.example', dnsNames: ['a.peer.example'] });
  });

  const ids = (cs: Certificate[]) => cs.map((c) => c.thumbprint);

  it('gives each end the other\'s chain as sent, leaf first, without a root nobody sent, and the same when asked again', async () => {
    const { serverSaw, clientSaw } = await handshake(
      { key: b.privateKeyPem, chain: [b.certificate, issuing.certificate] },
      { key: a.privateKeyPem, chain: [a.certificate, issuing.certificate, root.certificate] },
    );
    expect(serverSaw.map(ids)).toEqual([ids([a.certificate, issuing.certificate, root.certificate]), ids([a.certificate, issuing.certificate, root.certificate])]);
    expect(clientSaw.map(ids)).toEqual([ids([b.certificate, issuing.certificate]), ids([b.certificate, issuing.certificate])]);
  });

  // Node's getPeerCertificate(true) appends issuers from the context's trusted store after what the peer sent; the
  // rejectUntrustedClientCertificateInHandshake quirk's context holds the roots, and an outside MTA may hold a public root.
  it('does not add a root from the reader\'s own trusted store to what the peer sent', async () => {
    const { serverSaw, clientSaw } = await handshake(
      { key: b.privateKeyPem, chain: [b.certificate, issuing.certificate], trusts: [root.certificate] },
      { key: a.privateKeyPem, chain: [a.certificate, issuing.certificate], trusts: [root.certificate] },
    );
    expect(serverSaw.map(ids)).toEqual([ids([a.certificate, issuing.certificate]), ids([a.certificate, issuing.certificate])]);
    expect(clientSaw.map(ids)).toEqual([ids([b.certificate, issuing.certificate]), ids([b.certificate, issuing.certificate])]);
  });

  it('keeps a forged issuer of the genuine issuer\'s name as sent, never swapped for the genuine one', async () => {
    const { serverSaw } = await handshake(
      { key: b.privateKeyPem, chain: [b.certificate, issuing.certificate] },
      { key: forged.privateKeyPem, chain: [forged.certificate, forgedIssuing.certificate] },
    );
    expect(ids(serverSaw[0]!)).toEqual(ids([forged.certificate, forgedIssuing.certificate]));
    expect(forgedIssuing.certificate.subject).toBe(issuing.certificate.subject);
  });

  it('leaves out what does not link: a forged leaf sent with the genuine issuing CA stands alone, unrelated certificates too', async () => {
    const { serverSaw } = await handshake(
      { key: b.privateKeyPem, chain: [b.certificate, issuing.certificate] },
      { key: forged.privateKeyPem, chain: [forged.certificate, b.certificate, issuing.certificate, root.certificate] },
    );
    expect(ids(serverSaw[0]!)).toEqual(ids([forged.certificate]));
  });

  // Certificates read once (issue 12 item 5): the issuers of a leaf the simulation's own contexts send are read in full
  // once per thread; any other chain with that leaf is still read as sent.
  it('reads the chain of a leaf the simulation sends once, and any other chain with that leaf as sent', async () => {
    noteSentCertificates(pem([a.certificate, issuing.certificate]));
    noteSentCertificates(pem([b.certificate, issuing.certificate]));
    let fullReads = 0;
    const counted: Read = (s) => {
      const full = s.getPeerCertificate.bind(s);
      s.getPeerCertificate = ((detailed?: boolean) => { if (detailed) fullReads += 1; return full(detailed); }) as typeof s.getPeerCertificate;
      return peerChainDer(s, simulatedLeaves).map((der) => Certificate.fromDer(der));
    };
    const server = { key: b.privateKeyPem, chain: [b.certificate, issuing.certificate] };
    const asSent = async (chain: Certificate[]) => (await handshake(server, { key: a.privateKeyPem, chain }, counted)).serverSaw[1]!;
    const first = await handshake(server, { key: a.privateKeyPem, chain: [a.certificate, issuing.certificate] }, counted);
    expect(first.serverSaw.map(ids)).toEqual([ids([a.certificate, issuing.certificate]), ids([a.certificate, issuing.certificate])]);
    expect(first.clientSaw.map(ids)).toEqual([ids([b.certificate, issuing.certificate]), ids([b.certificate, issuing.certificate])]);
    const afterFirst = fullReads;
    expect(ids(await asSent([a.certificate, issuing.certificate]))).toEqual(ids([a.certificate, issuing.certificate]));
    expect(fullReads).toBe(afterFirst);
    // An outside MTA given the same certificate: without its issuing CA, with its root.
    expect(ids(await asSent([a.certificate]))).toEqual(ids([a.certificate]));
    expect(ids(await asSent([a.certificate, issuing.certificate, root.certificate]))).toEqual(ids([a.certificate, issuing.certificate, root.certificate]));
    expect(ids(await asSent([a.certificate, issuing.certificate]))).toEqual(ids([a.certificate, issuing.certificate]));
  });

  it('reads in full every time a leaf the simulation sends with different certificates after it', () => {
    const c = forged.certificate;
    const leaf = hash('sha256', c.der);
    noteSentCertificates(pem([c, forgedIssuing.certificate]));
    expect(simulatedLeaves.has(leaf)).toBe(true);
    noteSentCertificates(pem([c]));
    expect(simulatedLeaves.has(leaf)).toBe(false);
    noteSentCertificates(pem([c, forgedIssuing.certificate]));
    expect(simulatedLeaves.has(leaf)).toBe(false);
  });
});
