// The lab-file checks grow with the file, not faster (issue 12 item 7): counted in array scans, so machine speed cannot matter.
import { describe, expect, it } from 'vitest';
import { parseLabDefinition } from './lab-definition.js';
import { meshLabDefinition } from './mesh-lab.js';

const SCANS = ['includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'some', 'every', 'filter'] as const;

/** Elements the checks scan with Array.prototype's searching methods while parsing `value`. */
function scannedElements(value: unknown): number {
  const saved = SCANS.map((name) => [name, Array.prototype[name]] as const);
  let scanned = 0;
  for (const [name, original] of saved) {
    Object.defineProperty(Array.prototype, name, {
      configurable: true, writable: true,
      value(this: unknown[], ...args: unknown[]) { scanned += this.length; return (original as (...a: unknown[]) => unknown).apply(this, args); },
    });
  }
  try {
    parseLabDefinition(value, 'scale');
  } finally {
    for (const [name, original] of saved) Object.defineProperty(Array.prototype, name, { configurable: true, writable: true, value: original });
  }
  return scanned;
}

/** A file whose size grows linearly with n: each organization trusts and lists its two neighbours. */
function ring(n: number): unknown {
  const mesh = meshLabDefinition({ organizations: n, connectors: 'shared' });
  return {
    ...mesh,
    organizations: mesh.organizations.map((o, i) => {
      const partners = [mesh.organizations[(i + 1) % n]!.domain, mesh.organizations[(i + n - 1) % n]!.domain];
      return { ...o, trusts: partners, tlsSendDomainSecureList: partners, tlsReceiveDomainSecureList: partners, sendConnectors: [] };
    }),
  };
}

describe('lab-file checks at scale', () => {
  it('scan a number of elements proportional to the file: three times the organizations, at most three times the work', () => {
    const small = scannedElements(ring(60));
    const large = scannedElements(ring(180));
    expect(small).toBeGreaterThan(0);
    // Linear: ×3. One scan of every organization per organization (the old duplicate and trust checks) would be ×9.
    expect(large / small).toBeLessThanOrEqual(3.3);
  });

  it('check a full mesh of 100 organizations with a connector per partner, as the limits allow', () => {
    const def = parseLabDefinition(meshLabDefinition({ organizations: 100 }), 'mesh-100');
    expect(def.organizations).toHaveLength(100);
    expect(def.organizations[0]!.receiveConnectors).toHaveLength(99);
  });
});
