// Test stand-in for a partner edge's receive side: STARTTLS with a chosen certificate, asks for the client certificate, records what arrived.
import type { TLSSocket } from 'node:tls';
import { SMTPServer } from 'smtp-server';
import { Certificate, type KeyedCertificate } from '../../ca/index.js';
import { pemBundle } from '../peer-plan.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The client certificate the sender presented (undefined: none, or no TLS). */
  clientCertificate?: Certificate;
  tls: boolean;
}

export interface TlsReceiver {
  address: string;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export interface TlsReceiverOptions {
  address: string;
  port: number;
  certificate: KeyedCertificate;
  /** 'plain' hides STARTTLS (DS-SEND-02). */
  mode?: 'tls' | 'plain';
}

export async function startTlsReceiver(o: TlsReceiverOptions): Promise<TlsReceiver> {
  const received: ReceivedMail[] = [];
  const peerCerts = new Map<string, Certificate>();
  const server = new SMTPServer({
    secure: false, logger: false, authOptional: true, closeTimeout: 300, disabledCommands: ['AUTH'], hideSTARTTLS: o.mode === 'plain',
    key: o.certificate.privateKeyPem, cert: pemBundle([o.certificate.certificate, ...o.certificate.chain.filter((c) => !c.isSelfSigned)]),
    // Ask, never require: the sender under test decides what to present.
    requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
    onSecure(socket, session, cb) {
      const raw = (socket as TLSSocket).getPeerCertificate?.()?.raw;
      if (raw) peerCerts.set(session.id, Certificate.fromDer(new Uint8Array(raw)));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
          clientCertificate: peerCerts.get(session.id),
          tls: session.secure,
        });
        cb();
      });
    },
  });
  server.on('error', () => undefined); // a failed handshake is the point of some tests
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.address, () => resolve());
  });
  return {
    address: o.address, port: o.port, received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
