// Fuzzes lab files as text (damaged shipped labs, alias and nesting bombs) and as values (random shapes over the
// schema's keys): a lab spec or ERR_LAB_FILE, never another exception or a hang; what is accepted has safe names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzz, type Rng } from '../../test/fuzz-kit.js';
import { isDomsecError } from '../errors.js';
import { identifierProblem } from '../sim/index.js';
import { parseLabSpec, parseLabText } from './lab-file.js';

const LABS = ['adatum-treyresearch', 'contoso-woodgrove'].map((n) => readFileSync(new URL(`../../labs/${n}.yaml`, import.meta.url), 'utf8'));
const ALPHABET = ['\n', '  ', '- ', ': ', '{', '}', '[', ']', ',', '&a ', '*a', '<<: ', '!!str ', '"', "'", '#', '|', '>', '~', 'null', 'true', '1e9', '..', '/', 'x', '\t', '%YAML 1.2\n', '---\n'];
const KEYS = ['name', 'seed', 'organizations', 'messages', 'lab', 'domain', 'domains', 'edges', 'fqdn', 'bare', 'certificates', 'trusts', 'edge',
  'sendConnectors', 'receiveConnectors', 'addressSpaces', 'usage', 'remove', 'commands', 'from', 'to', 'via', 'remoteIpRanges', 'adressSpaces', '__proto__', 'constructor'];
const SCALARS: unknown[] = ['fabrikam.com', 'EX1', 'mail.fabrikam.com', '../..', 'Partner', 'a@fabrikam.com', '', 'SMTP:*;1', 0, -1, 1e308, true, null, '\u0000', 'x'.repeat(2000)];

function bomb(rng: Rng): string {
  if (rng.chance(0.5)) {
    let y = 'a0: &a0 [x, x, x, x]\n';
    const levels = 3 + rng.int(20);
    for (let i = 1; i < levels; i++) y += `a${i}: &a${i} [${Array(2 + rng.int(9)).fill(`*a${i - 1}`).join(', ')}]\n`;
    return `${y}organizations: *a${levels - 1}\n`;
  }
  const n = rng.chance(0.5) ? 20 + rng.int(40) : 1_000 + rng.int(20_000);
  return `organizations: ${rng.pick(['[', '{a: ', '- '])}`.repeat(1) + rng.pick(['[', '{x: ', '[{y: ']).repeat(n);
}

function value(rng: Rng, depth: number): unknown {
  const r = rng.int(depth > 4 ? 2 : 4);
  if (r === 0) return rng.pick(SCALARS);
  if (r === 1) return rng.chance(0.5) ? rng.pick(SCALARS) : [rng.pick(SCALARS)];
  if (r === 2) return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
  return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [rng.pick(KEYS), value(rng, depth + 1)]));
}

function validOrg(rng: Rng): Record<string, unknown> {
  const org: Record<string, unknown> = { domain: 'fabrikam.com', edges: [{ name: 'EX1', fqdn: 'mail.fabrikam.com' }] };
  for (let i = rng.int(3); i > 0; i--) org[rng.pick(KEYS)] = value(rng, 2);
  return org;
}

const outcome = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    if (isDomsecError(e, 'ERR_LAB_FILE')) return undefined;
    throw e;
  }
};

describe('lab file fuzz', () => {
  it('text: a damaged lab, an alias bomb or deep nesting is ERR_LAB_FILE or a lab, quickly', async () => {
    await fuzz({
      name: 'lab file text', seed: 30, runs: 250,
      generate: (rng) => (rng.chance(0.15) ? bomb(rng) : rng.mutate(rng.pick(LABS), ALPHABET, 1 + rng.int(6))),
      check: (text) => {
        const spec = outcome(() => parseLabText(text, 'fuzz.yaml')) as ReturnType<typeof parseLabText> | undefined;
        if (spec?.definition) {
          expect(identifierProblem(spec.lab)).toBeUndefined();
          for (const o of spec.definition.organizations) for (const e of o.edges) expect(identifierProblem(e.name)).toBeUndefined();
        }
      },
    });
  }, 30_000);

  it('values: any shape over the schema keys is ERR_LAB_FILE or a lab with valid names', async () => {
    await fuzz({
      name: 'lab file value', seed: 31, runs: 3_000,
      generate: (rng) => (rng.chance(0.5) ? { organizations: [validOrg(rng)], ...(rng.chance(0.3) ? { [rng.pick(KEYS)]: value(rng, 1) } : {}) } : value(rng, 0)),
      check: (v) => {
        const spec = outcome(() => parseLabSpec(v, 'fuzz.yaml')) as ReturnType<typeof parseLabSpec> | undefined;
        if (spec?.definition) for (const o of spec.definition.organizations) for (const e of o.edges) expect(identifierProblem(e.name)).toBeUndefined();
        if (spec?.messages) for (const m of spec.messages) expect(m.to.length).toBeGreaterThan(0);
      },
    });
  });
});
