// Checks DS-CERT-02 name coverage rule by rule (positive and negative) and DS-CONF-07 host matching.
import { describe, it, expect } from 'vitest';
import { isDnsName, matchDomain, matchHost, nameCovers } from './names.js';

describe('nameCovers (DS-CERT-02)', () => {
  it('exact: N = D, case-insensitive, trailing dot ignored', () => {
    expect(nameCovers('contoso.com', 'contoso.com')).toBe('exact');
    expect(nameCovers('Contoso.COM', 'contoso.com')).toBe('exact');
    expect(nameCovers('contoso.com.', 'CONTOSO.com')).toBe('exact');
    expect(nameCovers('contoso.com', 'contoso.com.')).toBe('exact');
    expect(nameCovers('contoso.org', 'contoso.com')).toBeUndefined();
  });

  it("wildcard-of-domain: '*.D' covers D", () => {
    expect(nameCovers('*.contoso.com', 'contoso.com')).toBe('wildcard-of-domain');
    expect(nameCovers('*.CONTOSO.com.', 'Contoso.Com')).toBe('wildcard-of-domain');
    expect(nameCovers('*.fabrikam.com', 'contoso.com')).toBeUndefined();
  });

  it('one-label-below: mail.woodgrovebank.com covers woodgrovebank.com', () => {
    expect(nameCovers('mail.woodgrovebank.com', 'woodgrovebank.com')).toBe('one-label-below');
    expect(nameCovers('MAIL.WoodgroveBank.com.', 'woodgrovebank.COM')).toBe('one-label-below');
  });

  it('one-label-below fails two labels below', () => {
    expect(nameCovers('a.mail.woodgrovebank.com', 'woodgrovebank.com')).toBeUndefined();
  });

  it('one-label-below needs a label boundary', () => {
    expect(nameCovers('mailwoodgrovebank.com', 'woodgrovebank.com')).toBeUndefined();
    expect(nameCovers('mail.notwoodgrovebank.com', 'woodgrovebank.com')).toBeUndefined();
  });

  it('a wildcard is never treated as one-label-below', () => {
    // '*.woodgrovebank.com' one label below 'woodgrovebank.com' is the wildcard-of-domain rule, not one-label-below.
    expect(nameCovers('*.woodgrovebank.com', 'woodgrovebank.com')).toBe('wildcard-of-domain');
    // '*.mail.woodgrovebank.com' is one label below 'mail.woodgrovebank.com' only as a wildcard; it does not cover the parent.
    expect(nameCovers('*.mail.woodgrovebank.com', 'woodgrovebank.com')).toBeUndefined();
  });

  it("wildcard-suffix: '*.S' covers D when D ends with '.S', at any depth (literal reading)", () => {
    expect(nameCovers('*.contoso.com', 'mail.contoso.com')).toBe('wildcard-suffix');
    expect(nameCovers('*.contoso.com', 'a.b.contoso.com')).toBe('wildcard-suffix');
    expect(nameCovers('*.Contoso.com', 'MAIL.contoso.com.')).toBe('wildcard-suffix');
    expect(nameCovers('*.contoso.com', 'mailcontoso.com')).toBeUndefined();
    expect(nameCovers('*.contoso.com', 'contoso.org')).toBeUndefined();
  });

  it('rejects empty or wildcard domains and empty names', () => {
    expect(nameCovers('', 'contoso.com')).toBeUndefined();
    expect(nameCovers('contoso.com', '')).toBeUndefined();
    expect(nameCovers('*.contoso.com', '*.contoso.com')).toBeUndefined();
    expect(nameCovers('*.', 'contoso.com')).toBeUndefined();
  });
});

describe('matchDomain', () => {
  it('returns the covering name and rule', () => {
    expect(matchDomain(['mail.contoso.com'], 'contoso.com')).toEqual({ ok: true, rule: 'one-label-below', name: 'mail.contoso.com', domain: 'contoso.com' });
  });

  it('prefers the strongest rule, not the first name', () => {
    const m = matchDomain(['mail.contoso.com', '*.contoso.com', 'Contoso.com'], 'contoso.com');
    expect(m).toMatchObject({ ok: true, rule: 'exact', name: 'Contoso.com' });
  });

  it('explains a failure with the names it saw', () => {
    const m = matchDomain(['a.mail.woodgrovebank.com'], 'woodgrovebank.com');
    expect(m.ok).toBe(false);
    if (m.ok) return;
    expect(m.names).toEqual(['a.mail.woodgrovebank.com']);
    expect(m.detail).toContain("'woodgrovebank.com'");
    expect(m.detail).toContain('DS-CERT-02');
  });

  it('fails on a certificate with no DNS names', () => {
    const m = matchDomain([], 'contoso.com');
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.detail).toContain('no DNS names');
  });
});

describe('matchHost (DS-CONF-07)', () => {
  it('matches exactly, case-insensitively', () => {
    expect(matchHost(['Mail.Contoso.com'], 'mail.contoso.com.')).toBe(true);
    expect(matchHost(['mail.contoso.com'], 'smtp.contoso.com')).toBe(false);
  });

  it('lets a wildcard stand for exactly one label', () => {
    expect(matchHost(['*.contoso.com'], 'mail.contoso.com')).toBe(true);
    expect(matchHost(['*.contoso.com'], 'contoso.com')).toBe(false);
    expect(matchHost(['*.contoso.com'], 'a.b.contoso.com')).toBe(false);
  });

  it('is false for no names or an empty host', () => {
    expect(matchHost([], 'mail.contoso.com')).toBe(false);
    expect(matchHost(['mail.contoso.com'], '')).toBe(false);
  });
});

describe('isDnsName', () => {
  it('tells DNS names from other CN values', () => {
    expect(isDnsName('mail.contoso.com')).toBe(true);
    expect(isDnsName('*.contoso.com')).toBe(true);
    expect(isDnsName('localhost')).toBe(true);
    expect(isDnsName('Adatum Root CA')).toBe(false);
    expect(isDnsName('mail..contoso.com')).toBe(false);
    expect(isDnsName('-bad.contoso.com')).toBe(false);
    expect(isDnsName('a.*.contoso.com')).toBe(false);
  });
});

describe('one canonical form and the wildcard floor (issue 10)', () => {
  it('an internationalized domain matches its A-label spelling either way round', () => {
    expect(nameCovers('mail.xn--bcher-kva.de', 'bücher.de')).toBe('one-label-below');
    expect(nameCovers('Bücher.DE.', 'xn--bcher-kva.de')).toBe('exact');
    expect(nameCovers('ＡＤＡＴＵＭ.com', 'adatum.com')).toBe('exact');
  });
  it("a wildcard over a single label ('*.com') covers no partner at all", () => {
    expect(nameCovers('*.com', 'treyresearch.com')).toBeUndefined();
    expect(nameCovers('*.com', 'com')).toBeUndefined();
    expect(matchDomain(['*.com'], 'adatum.com').ok).toBe(false);
    expect(matchHost(['*.com'], 'adatum.com')).toBe(false);
    expect(nameCovers('*.adatum.com', 'mail.adatum.com')).toBe('wildcard-suffix');
  });
});
