// Fuzzes what passes the lab-file schema all the way through startDefinedLab: the organization model then accepts the
// values or refuses them as ERR_LAB_FILE with Exchange's words; never a TypeError, never anything left running.
import { describe, expect, it } from 'vitest';
import { fuzz, type Rng } from '../../test/fuzz-kit.js';
import { isDomsecError } from '../errors.js';
import { startDefinedLab } from './defined-lab.js';
import { parseLabDefinition } from './lab-definition.js';

const TEXT = ['fabrikam.com', 'litware.com', 'EX1', 'EX2', 'mail.fabrikam.com', '*', 'SMTP:*;1', 'SMTP:litware.com;100', 'SMTP:x;0', '127.0.0.1', '0.0.0.0:25', '10.0.0.0/8',
  '1.2.3.4-1.2.3.1', 'litware.com/EX1', 'litware.com/EX9', 'DC=com,DC=Fabrikam,CN=mail.fabrikam.com', 'CN=', '<I>x<S>y', 'Get-TransportConfig', 'Set-TransportConfig -Foo', ''];
const ENUMS: Record<string, string[]> = {
  usage: ['Custom', 'Internet', 'Internal', 'Partner'], protocolLoggingLevel: ['None', 'Verbose'], tlsAuthLevel: ['EncryptionOnly', 'DomainValidation'],
  via: ['issue', 'request'], authMechanism: ['None', 'Tls'], permissionGroups: ['AnonymousUsers', 'Partners'],
};
const BOOLS = ['dnsRoutingEnabled', 'domainSecureEnabled', 'requireTls', 'ignoreStartTls', 'remove'];
const SEND_KEYS = ['usage', 'addressSpaces', 'smartHosts', 'fqdn', 'tlsAuthLevel', 'tlsDomain', 'tlsCertificateName', 'protocolLoggingLevel', 'maxMessageSize', 'sourceServers', 'port', ...BOOLS];
const RECV_KEYS = ['usage', 'bindings', 'remoteIpRanges', 'authMechanism', 'permissionGroups', 'fqdn', 'protocolLoggingLevel', 'maxMessageSize', 'edge', 'domainSecureEnabled', 'requireTls', 'remove'];
const LISTS = new Set(['addressSpaces', 'smartHosts', 'sourceServers', 'bindings', 'remoteIpRanges', 'authMechanism', 'permissionGroups']);

function field(rng: Rng, key: string): unknown {
  if (BOOLS.includes(key)) return rng.chance(0.5);
  if (key === 'maxMessageSize') return rng.pick([1, 1024, 2 ** 31 - 1]);
  if (key === 'port') return rng.pick([1, 25, 65535]);
  if (key === 'fqdn' || key === 'tlsDomain') return rng.pick(['mail.fabrikam.com', 'mail.litware.com', '*.litware.com']);
  if (key === 'edge') return rng.pick(['EX1', 'EX2']);
  if (key === 'sourceServers') return [rng.pick(['EX1', 'EX2', 'NOPE'])];
  const pick = () => (ENUMS[key] ? rng.pick(ENUMS[key]!) : rng.pick(TEXT));
  return LISTS.has(key) ? Array.from({ length: rng.int(3) }, pick) : pick();
}

function connector(rng: Rng, keys: string[], name: string): Record<string, unknown> {
  const c: Record<string, unknown> = { name };
  for (let i = rng.int(4); i > 0; i--) { const k = rng.pick(keys); c[k] = field(rng, k); }
  return c;
}

function lab(rng: Rng): unknown {
  return {
    name: 'fuzz', seed: `fuzz-${rng.int(1e6)}`,
    organizations: [
      {
        domain: 'fabrikam.com', edges: [{ name: 'EX1', fqdn: 'mail.fabrikam.com' }, { name: 'EX2', fqdn: 'mail2.fabrikam.com' }], bare: rng.chance(0.5), trusts: ['litware.com'],
        tlsSendDomainSecureList: rng.chance(0.5) ? ['litware.com'] : [rng.pick(TEXT)], tlsReceiveDomainSecureList: ['litware.com'],
        ...(rng.chance(0.4) ? { certificates: [{ edge: rng.pick(['EX1', 'EX2']), via: rng.pick(ENUMS.via!), ...(rng.chance(0.5) ? { subjectName: rng.pick(TEXT) } : {}) }] } : {}),
        sendConnectors: [connector(rng, SEND_KEYS, rng.pick(['Internet', 'To litware.com']))],
        receiveConnectors: [connector(rng, RECV_KEYS, rng.pick(['Default EX1', 'From litware.com']))],
        ...(rng.chance(0.3) ? { commands: [rng.pick(TEXT)] } : {}),
      },
      { domain: 'litware.com', edges: [{ name: 'EX1', fqdn: 'mail.litware.com' }], trusts: ['fabrikam.com'] },
    ],
  };
}

describe('defined lab fuzz', () => {
  it('what the schema accepts starts as a lab or is refused as ERR_LAB_FILE, never a TypeError', async () => {
    await fuzz({
      name: 'defined lab', seed: 60, runs: 12, generate: lab,
      check: async (value) => {
        const def = parseLabDefinition(value, 'fuzz.yaml');
        let started: Awaited<ReturnType<typeof startDefinedLab>> | undefined;
        try {
          started = await startDefinedLab(def);
        } catch (e) {
          if (!isDomsecError(e, 'ERR_LAB_FILE')) throw e;
          return;
        } finally {
          await started?.sim.stop();
        }
        expect(started.sim.orgs).toHaveLength(2);
      },
    });
  }, 60_000);
});
