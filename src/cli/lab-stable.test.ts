// `lab up --dir D` as an outside MTA needs it: the same roots and edge certificates at every start, fixed ports, a chosen clock.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Certificate } from '../ca/index.js';
import type { Endpoints } from './lab-export.js';
import { parseClock, portFromBase } from './lab-stable.js';
import { labUp, repo, stop } from './lab-up-fixture.js';

/** Every folder this file makes, removed at the end. */
const TMP = mkdtempSync(join(tmpdir(), 'domsec-t-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** What an outside MTA was configured with: root thumbprints and every edge's certificate file. */
function configuredWith(dir: string, e: Endpoints) {
  return e.organizations.map((o) => ({
    root: Certificate.fromPem(readFileSync(join(dir, o.root), 'utf8')).thumbprint,
    edges: o.edges.map((x) => ({ thumbprint: x.thumbprint, pem: readFileSync(join(dir, x.certificate!), 'utf8') })),
  }));
}

describe('parseClock and portFromBase', () => {
  it('"real" is the wall clock in whole seconds, an instant is taken as given, anything else is a usage error', () => {
    expect(parseClock('real', () => new Date('2026-12-04T10:00:00.750Z'))?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(parseClock('2026-12-04T10:00:00+01:00')?.toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(() => parseClock('tomorrow')).toThrow(/ERR_USAGE|neither "real"/);
    expect(parseClock(undefined)).toBeUndefined();
  });
  it('gives edge k of organization j the port base + (j-1)*16 + (k-1)', () => {
    expect(portFromBase(30000, 1, 0)).toBe(30000);
    expect(portFromBase(30000, 2, 1)).toBe(30017);
  });
});

describe('domsec lab up --dir as a stable lab', () => {
  const dir = mkdtempSync(join(TMP, 'domsec-stable-'));
  // Away from other helpers' and tests' ports: a base derived from this process, 16 ports per organization.
  const base = 20000 + (process.pid % 2000) * 16;

  it('keeps roots and edge certificates across starts, on the fixed ports and clock asked for; --fresh renews them', async () => {
    const first = await labUp(['--dir', dir, '--seed', 'stable', '--port-base', String(base), '--clock', '2026-12-04T10:00:00Z']);
    const one = configuredWith(dir, first.endpoints);
    expect(first.output()).toContain('PKI created');
    expect(first.endpoints.organizations.map((o) => o.edges.map((x) => x.port))).toEqual([[base], [base + 16]]);
    // Certificates are issued relative to the given clock: valid since the day before.
    const leaf = Certificate.fromPem(one[0]!.edges[0]!.pem);
    expect(leaf.notBefore.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    const keyFile = join(dir, 'pki', 'adatum.com', 'root.key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await stop(first.child);

    // Another seed and no clock: what an outside MTA was given must still be valid.
    const second = await labUp(['--dir', dir, '--seed', 'other', '--port-base', String(base)]);
    expect(second.output()).toContain('PKI reused');
    // Without --clock a reused PKI starts at the instant it was made, where its certificates are valid.
    const c = second.endpoints.control;
    const status = await (await fetch(`http://${c.host}:${c.port}/status`, { headers: { authorization: `Bearer ${c.token}` } })).json() as { at: string };
    expect(status.at).toBe('2026-12-04T10:00:00.000Z');
    expect(configuredWith(dir, second.endpoints)).toEqual(one);
    // The restored edge certificate verifies against the stored root with openssl, as the MTA would check it.
    const e = second.endpoints.organizations[0]!;
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(dir, e.root), '-untrusted', join(dir, e.issuing), '-attime', String(Date.parse('2026-12-05T00:00:00Z') / 1000), join(dir, e.edges[0]!.certificate!)], { encoding: 'utf8' });
    expect(verify.stdout + verify.stderr).toContain(': OK');
    await stop(second.child);

    const third = await labUp(['--dir', dir, '--seed', 'stable', '--fresh']);
    const three = configuredWith(dir, third.endpoints);
    expect(three[0]!.root).not.toBe(one[0]!.root);
    expect(three[1]!.edges[0]!.pem).not.toBe(one[1]!.edges[0]!.pem);
    await stop(third.child);
  }, 180_000);

  it('refuses a stored PKI made for other organizations, with ERR_LAB_PKI_MISMATCH naming --fresh', () => {
    const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'up', 'contoso-woodgrove', '--dir', dir], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/made for adatum\.com.*--fresh.*\[ERR_LAB_PKI_MISMATCH\]/s);
  }, 70_000);

  it('refuses a stored PKI whose certificates are not valid at the --clock asked for (ERR_LAB_PKI_EXPIRED)', () => {
    const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, '--clock', '2031-01-01T00:00:00Z'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not at the lab's clock 2031-01-01T00:00:00\.000Z.*--fresh.*\[ERR_LAB_PKI_EXPIRED\]/s);
  }, 70_000);

  it('takes port: from a lab file edge over --port-base; the lab file schema checks it', async () => {
    const file = join(mkdtempSync(join(TMP, 'domsec-portfile-')), 'ports.yaml');
    writeFileSync(file, `name: ports
organizations:
  - domain: fabrikam.com
    edges: [{ name: EX1, fqdn: mail.fabrikam.com, port: ${base + 9} }, { name: EX2, fqdn: mail2.fabrikam.com }]
`);
    const lab = await labUp([file, '--dir', mkdtempSync(join(TMP, 'domsec-portdir-')), '--port-base', String(base + 100)]);
    expect(lab.endpoints.organizations[0]!.edges.map((x) => x.port)).toEqual([base + 9, base + 101]);
    await stop(lab.child);
    writeFileSync(file, 'organizations: [{ domain: fabrikam.com, edges: [{ name: EX1, fqdn: mail.fabrikam.com, port: 70000 }] }]\n');
    const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'up', file, '--dir', mkdtempSync(join(TMP, 'domsec-portbad-'))], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toMatch(/organizations\[0\]\.edges\[0\]\.port.*\[ERR_LAB_FILE\]/s);
  }, 90_000);

  it('names the address and port in use with ERR_ADDRESS_IN_USE', async () => {
    const busy = net.createServer();
    const port = base + 5;
    await new Promise<void>((r) => busy.listen(port + 16, '127.0.2.1', r));
    try {
      const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', mkdtempSync(join(TMP, 'domsec-busy-')), '--port-base', String(port)], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`127.0.2.1:${port + 16}`);
      expect(r.stderr).toContain('[ERR_ADDRESS_IN_USE]');
    } finally {
      busy.close();
    }
  }, 70_000);
});
