// Test fixture (run by interrupt-cleanup.test.ts in a child process, from whatever folder it is started in): starts a
// real MTA peer with default options, proves its Unix sockets work (sendmail/exim submission and local delivery),
// prints one JSON line, then waits to be interrupted. An optional second argument adds a listener that keeps the
// process alive after the signal, as `lab up` does while it stops gracefully.
import type { PeerImplementation } from '../peer.js';
import { startPeer } from '../profile.js';
import { buildInteropLab, freePort } from './interop-lab.js';

const kind = process.argv[2] as PeerImplementation;
const lab = await buildInteropLab();
const peer = await startPeer(kind, lab.trey.org, { port: await freePort(lab.trey.address) });
const id = await peer.submit({ from: 'pat@treyresearch.net', to: ['pat@treyresearch.net'], subject: 'local', body: 'through the sockets' });
const got = await peer.waitFor(async () => (await peer.mailbox('pat@treyresearch.net')).find((m) => m.raw.includes(id)), 15_000);
if (process.argv[3] === 'graceful') process.on('SIGTERM', () => setTimeout(() => process.exit(0), 200));
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, cwd: process.cwd(), workDir: peer.workDir, delivered: got.messageId })}\n`);
setInterval(() => undefined, 60_000);
