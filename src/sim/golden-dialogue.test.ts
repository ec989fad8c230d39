// Golden transcripts (issue 11): the whole SMTP dialogue of each documented lab's test mail, both sides, as the protocol
// logs write it, byte for byte against src/sim/fixtures/dialogue-<lab>.log. Regenerate after a deliberate change with
// DOMSEC_UPDATE_GOLDEN=1 npx vitest run src/sim/golden-dialogue.test.ts, and review the diff like code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, LAB_NAMES, startLab } from './documented-labs.js';

const running: Lab[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.sim.stop()));
});

/**
 * One thing differs from run to run and only that is normalised: the client's ephemeral TCP port (the kernel picks it).
 * Certificate thumbprints are compared as they are: keys are derived from the seed (RSA-2048), so they are the same.
 */
function normalise(text: string): string {
  return text.replace(/(127\.0\.\d+\.\d+):(?!25\b)\d+/g, '$1:<port>');
}

async function dialogue(name: string): Promise<string> {
  const lab = await startLab(name);
  running.push(lab);
  for (const p of lab.probes) {
    await lab.sim.org(p.from.split('@')[1]).send({ from: p.from, to: [p.to], subject: 'probe' });
    await lab.sim.settle(); // one hop at a time: each log then reads in the same order on every run
  }
  const parts: string[] = [];
  for (const org of lab.sim.orgs) {
    for (const edge of org.model.edges) {
      for (const dir of ['Send', 'Receive'] as const) {
        const text = org.edge(edge.name).protocolLog(dir);
        if (text) parts.push(`### ${org.model.primaryDomain} ${edge.name} ${dir}\r\n${text}\r\n`);
      }
    }
  }
  return normalise(parts.join(''));
}

describe.each(LAB_NAMES)('%s', (name) => {
  const file = new URL(`./fixtures/dialogue-${name}.log`, import.meta.url);

  it('speaks, logs and answers exactly as the golden transcript', async () => {
    const actual = await dialogue(name);
    if (process.env.DOMSEC_UPDATE_GOLDEN === '1') writeFileSync(file, actual);
    if (!existsSync(file)) throw new Error(`src/sim/fixtures/dialogue-${name}.log is missing; generate it with DOMSEC_UPDATE_GOLDEN=1 and review it.`);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });

  it('is the same dialogue on a second run of the seed', async () => {
    expect(await dialogue(name)).toBe(readFileSync(file, 'utf8'));
  });
});
