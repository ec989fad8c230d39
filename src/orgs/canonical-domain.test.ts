// Issue 10: every domain comparison on the domain-secure path uses one canonical form, so a partner cannot be re-spelled past a list.
import { describe, expect, it } from 'vitest';
import { parseAddressSpace, matchSpecificity } from './address-space.js';
import { decideAtMailFrom } from './policy/receive-decision.js';
import { decideBeforeConnect } from './policy/send-decision.js';
import { applyListEdit, listContains } from './secure-list.js';
import { domainOf, normalizeSmtpDomain } from './smtp-domain.js';

const connector = { domainSecureEnabled: true, requireTls: false, permissionGroups: ['AnonymousUsers', 'Partners'] as const };

describe('canonical domains (IDNA to ASCII, lower case, no trailing dot)', () => {
  it('list values are stored as A-labels, whichever spelling the admin typed', () => {
    expect(applyListEdit([], { kind: 'replace', values: ['Bücher.DE', 'xn--bcher-kva.de', 'adatum.com.'] })).toEqual(['xn--bcher-kva.de', 'adatum.com']);
    expect(normalizeSmtpDomain('ＡＤＡＴＵＭ.com')).toBe('adatum.com');
    expect(() => normalizeSmtpDomain('a b.com')).toThrow(`"a b.com" isn't a valid SMTP domain.`);
  });

  it('MAIL FROM in any spelling of a listed internationalized partner is checked, never accepted anonymously without TLS', () => {
    const receiveList = applyListEdit([], { kind: 'replace', values: ['bücher.de'] });
    for (const from of ['ann@bücher.de', 'ann@BÜCHER.DE.', 'ann@xn--bcher-kva.de', 'ann@XN--BCHER-KVA.DE']) {
      const d = decideAtMailFrom({ senderDomain: domainOf(from), receiveList, connector: { ...connector, permissionGroups: [...connector.permissionGroups] }, tls: false, starttlsAdvertised: true, clientCertificate: false });
      expect(d.rule, from).toBe('DS-RECV-02');
    }
  });

  it('the send list matches the next hop in either spelling', () => {
    expect(listContains(['xn--bcher-kva.de'], 'Bücher.de.')).toBe(true);
    const d = decideBeforeConnect({ nextHopDomain: domainOf('bob@bücher.de')!, sendList: ['xn--bcher-kva.de'], connector: { name: 'x', domainSecureEnabled: false, requireTls: false, ignoreStartTls: false } });
    expect(d.rule).toBe('DS-SEND-01');
  });

  it('address spaces route an internationalized domain in either spelling', () => {
    const space = parseAddressSpace('SMTP:bücher.de;1');
    expect(space.domain).toBe('xn--bcher-kva.de');
    expect(matchSpecificity(space, 'BÜCHER.de')).toBeGreaterThan(0);
  });
});
