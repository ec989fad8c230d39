// Checks that Node's tls accepts issued certificates in a real mutual-TLS handshake on 127.0.0.1.
import { describe, it, expect } from 'vitest';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { CertificateAuthority } from './authority.js';
import { Certificate } from './certificate.js';
import type { KeyedCertificate } from './certificate-profile.js';
import { exportPfx } from './pfx.js';

// Node's tls checks dates against the real clock, so these certificates are issued around real time.
const now = new Date();

interface Seen { serverAuthorized: boolean; clientAuthorized: boolean; serverSawPeer: string; clientSawPeer: string; error?: string }

/** One mutual-TLS handshake on 127.0.0.1; resolves with what both sides saw and closes everything. */
function handshake(server: KeyedCertificate, client: KeyedCertificate, root: Certificate, servername: string, serverPfx?: Buffer): Promise<Seen> {
  const pemChain = (k: KeyedCertificate): string => [k.certificate, ...k.chain.filter((c) => !c.isSelfSigned)].map((c) => c.pem).join('');
  return new Promise((resolve, reject) => {
    let serverSide: Pick<Seen, 'serverAuthorized' | 'serverSawPeer'> | undefined;
    const srv = tls.createServer({
      ...(serverPfx ? { pfx: serverPfx, passphrase: 'x' } : { key: server.privateKeyPem, cert: pemChain(server) }),
      ca: [root.pem], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2',
    }, (socket) => {
      serverSide = { serverAuthorized: socket.authorized, serverSawPeer: String(socket.getPeerCertificate().subject?.CN ?? '') };
      socket.end('220 ok\r\n');
    });
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      const sock = tls.connect({
        host: '127.0.0.1', port, servername, key: client.privateKeyPem, cert: pemChain(client), ca: [root.pem], minVersion: 'TLSv1.2',
      }, () => {
        const clientAuthorized = sock.authorized;
        const clientSawPeer = String(sock.getPeerCertificate().subject?.CN ?? '');
        sock.on('data', () => undefined);
        sock.on('end', () => {
          sock.destroy();
          srv.close(() => resolve({ ...serverSide!, clientAuthorized, clientSawPeer }));
        });
      });
      sock.on('error', (e) => { sock.destroy(); srv.close(() => reject(e)); });
    });
  });
}

describe("Node's tls accepts issued certificates", () => {
  it('mutual TLS with leaves from an issuing CA: both sides authorized', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Lab Root CA', now });
    const issuing = await root.createSubordinate({ name: 'Lab Issuing CA' });
    const server = await issuing.issue({ commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'] });
    const client = await issuing.issue({ commonName: 'mail.fabrikam.com', dnsNames: ['mail.fabrikam.com'] });
    const seen = await handshake(server, client, root.certificate, 'mail.contoso.com');
    expect(seen).toEqual({ serverAuthorized: true, clientAuthorized: true, serverSawPeer: 'mail.fabrikam.com', clientSawPeer: 'mail.contoso.com' });
  });

  it('RSA leaves and a PFX-loaded server certificate work too', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Lab RSA Root', now, algorithm: 'RSA-1024' });
    const server = await root.issue({ commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], algorithm: 'RSA-1024' });
    const client = await root.issue({ commonName: 'mail.fabrikam.com' });
    const pfx = Buffer.from(await exportPfx(server, 'x'));
    const seen = await handshake(server, client, root.certificate, 'mail.contoso.com', pfx);
    expect(seen.serverAuthorized && seen.clientAuthorized).toBe(true);
  });

  it('seed-derived RSA-2048 keys (what labs use): both sides authorized, server from PFX', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Seeded Root', now, algorithm: 'RSA-2048', keySeed: 'tls-interop/root' });
    const issuing = await root.createSubordinate({ name: 'Seeded Issuing CA' });
    const server = await issuing.issue({ commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'] });
    const client = await issuing.issue({ commonName: 'mail.fabrikam.com', dnsNames: ['mail.fabrikam.com'] });
    expect(server.certificate.keyAlgorithm).toBe('RSA-2048');
    const pfx = Buffer.from(await exportPfx(server, 'x'));
    const seen = await handshake(server, client, root.certificate, 'mail.contoso.com', pfx);
    expect(seen).toEqual({ serverAuthorized: true, clientAuthorized: true, serverSawPeer: 'mail.fabrikam.com', clientSawPeer: 'mail.contoso.com' });
  });
});
