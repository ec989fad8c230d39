// Load generator for the relay benchmark (plain JS: it runs in a worker thread, on its own core, without the tsx hook).
import net from 'node:net';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';
import SMTPConnection from 'nodemailer/lib/smtp-connection';


const job = workerData;
// One client context for every session, as a real sending MTA would keep it.
const secureContext = tls.createSecureContext({ key: job.key, cert: job.cert });

function session() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: job.address, port: job.port, localAddress: job.localAddress });
    socket.once('error', reject);
    socket.once('connect', () => {
      const c = new SMTPConnection({ connection: socket, name: 'mail.adatum.com', requireTLS: true, tls: { secureContext, rejectUnauthorized: false }, socketCloseTimeout: 0 });
      c.once('error', reject);
      c.connect(() => c.send({ from: job.from, to: [job.to] }, 'Subject: bench\r\n\r\nbench\r\n', (err) => {
        if (err) return reject(err);
        c.quit();
        resolve();
      }));
    });
  });
}

let started = 0;
let failed = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, async () => {
  while (started < job.total) {
    started++;
    await session().catch(() => { failed++; });
  }
}));
parentPort.postMessage({ seconds: (performance.now() - t0) / 1000, failed });
