// Run by accept-errors.test.ts in a child process with a low descriptor limit (ulimit -n): the parent floods this
// process's edge until accept() fails with EMFILE, then says "go"; the edge must still be up and deliver.
import { once } from 'node:events';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';

const sim = await Simulation.start({ seed: 'accept-errors' });
const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
b.edge().model.setReceiveConnector('Default EX1', { maxInboundConnectionPerSource: 'Unlimited', maxInboundConnection: 'Unlimited' });
process.stdout.write(`${JSON.stringify({ address: b.edge().address, port: b.edge().port })}\n`);
await once(process.stdin, 'data');
// The flood is gone; the edge's shedding spell (1 s) ends and descriptors are back.
await new Promise((r) => setTimeout(r, 1500));
await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'after EMFILE' });
const count = (id: number) => b.events().filter((e) => e.id === id).length;
const result = { acceptFailedEvents: count(9101), logWriteFailedEvents: count(9102), delivered: b.mailbox('bob@woodgrovebank.com').length };
process.stdout.write(`${JSON.stringify(result)}\n`);
await sim.stop();
process.exit(0);
