// Load generator for the relay benchmarks: full domain-secured SMTP sessions (EHLO, STARTTLS with a client certificate,
// MAIL, RCPT, DATA, QUIT), `concurrency` at a time. Plain JS, no tsx hook. Runs as its own process
// (`node bench/session-load.mjs '<job json>'`, prints one JSON line) so it never shares a core's event loop with the
// receiver it measures; a worker thread (workerData) still works for callers that want one.
import net from 'node:net';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

const job = parentPort ? workerData : JSON.parse(process.argv[2]);
// One client context for every session, as a real sending MTA would keep it.
const secureContext = tls.createSecureContext({ key: job.key, cert: job.cert });

function session() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: job.address, port: job.port, localAddress: job.localAddress });
    socket.once('error', reject);
    socket.once('connect', () => {
      const c = new SMTPConnection({ connection: socket, name: job.helo ?? 'mail.adatum.com', requireTLS: true, tls: { secureContext, rejectUnauthorized: false }, socketCloseTimeout: 0 });
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
let firstError;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, async () => {
  while (started < job.total) {
    started++;
    await session().catch((e) => { failed++; firstError ??= String(e?.message ?? e); });
  }
}));
const cpu = process.cpuUsage(cpu0);
const result = { seconds: (performance.now() - t0) / 1000, failed, firstError, cpuMs: (cpu.user + cpu.system) / 1000 };
if (parentPort) parentPort.postMessage(result);
else process.stdout.write(`${JSON.stringify(result)}\n`);
