// Receiver-role scenarios (BEHAVIOUR §3): a simulated adatum.com edge talks to the real MTA; each checks the reply, the mailbox and the log.
import { expect, it } from 'vitest';
import type { KeyedCertificate } from '../../ca/index.js';
import { parseMessage } from '../maildir.js';
import type { PeerDelivered } from '../peer.js';
import { type ProbeReply, type ProbeResult, probeSmtp } from '../smtp-probe.js';
import type { SuiteContext } from './peer-suite.js';

/** What each MTA writes when it verified the partner's client certificate (the "log shows the verified certificate" check). */
const VERIFIED_CLIENT_LOG = {
  postfix: /Trusted TLS connection established from \S*\[127\.0\.1\.1\]/,
  exim: /<= kim@adatum\.com .*CV=yes DN="CN=mail\.adatum\.com"/,
} as const;

function says(r: ProbeReply | undefined, code: number, enhanced: string, text: string): boolean {
  return r !== undefined && r.code === code && r.text.startsWith(enhanced) && r.text.includes(text);
}

function show(r: ProbeReply | undefined): string {
  return r ? `${r.code} ${r.text}` : '(no reply)';
}

let serial = 0;
function message(from: string, subject: string, extra = ''): { id: string; text: string } {
  const id = `rx-${Date.now()}-${++serial}@adatum.com`;
  return { id, text: `From: <${from}>\nTo: <pat@treyresearch.net>\nSubject: ${subject}\nMessage-ID: <${id}>\n${extra}\n${subject}\n` };
}

export function defineReceiverScenarios(ctx: SuiteContext): void {
  const send = (o: { from: string; cert?: KeyedCertificate; tls?: boolean; data?: string; localAddress?: string }): Promise<ProbeResult> =>
    probeSmtp({
      host: ctx.peer.address, port: ctx.peer.port, localAddress: o.localAddress ?? ctx.lab.adatum.address, ehlo: 'mail.adatum.com',
      starttls: o.tls === false ? 'skip' : 'use', clientCertificate: o.cert, from: o.from, to: ['pat@treyresearch.net'], data: o.data,
    });
  const delivered = (id: string): Promise<PeerDelivered> =>
    ctx.peer.waitFor(async () => (await ctx.peer.mailbox('pat@treyresearch.net')).find((m) => m.messageId === id), 10_000);
  const lastPolicyRule = () => ctx.peer.policyRecords().at(-1)?.decision.rule;

  it('DS-RECV-07: mutual TLS from a listed domain is accepted, Domain Secured, and the log shows the verified client certificate', async () => {
    const m = message('kim@adatum.com', 'Domain secured inbound');
    const t = performance.now();
    const r = await send({ from: 'kim@adatum.com', cert: ctx.lab.adatum.edgeCertificate, data: m.text });
    const got = await delivered(m.id);
    ctx.timings.mutualTlsInboundMs = Math.round(performance.now() - t);
    const log = (await ctx.peer.waitFor(async () => ((await ctx.peer.log()).some((l) => VERIFIED_CLIENT_LOG[ctx.kind].test(l)) ? ctx.peer.log() : undefined), 5_000).catch(() => ctx.peer.log())).join('\n');
    const ok = r.data?.code === 250 && got.domainSecured && got.authDomain === 'adatum.com' && VERIFIED_CLIENT_LOG[ctx.kind].test(log);
    ctx.record({ role: 'receiver', rule: 'DS-RECV-07', scenario: 'mutual TLS, listed sender', ok, expected: 'accepted as Partner, AuthDomain adatum.com', actual: `${show(r.data)}; AuthAs ${got.authAs} ${got.authDomain ?? ''}`, evidence: r.transcript });
    expect(r.mailFrom?.code).toBe(250);
    expect(got.authAs).toBe('Partner');
    expect(got.headers['x-ms-exchange-organization-authmechanism']).toBe('02');
    expect(got.headers['x-ms-exchange-organization-authsource']).toBe('mail.treyresearch.net');
    expect(got.domainSecured).toBe(true);
    expect(log).toMatch(VERIFIED_CLIENT_LOG[ctx.kind]);
    expect(lastPolicyRule()).toBe('DS-RECV-07');
  });

  const refusals: { rule: string; title: string; opts: () => Parameters<typeof send>[0]; code: number; enhanced: string; text: string }[] = [
    { rule: 'DS-RECV-02', title: 'no TLS although STARTTLS was offered', opts: () => ({ from: 'kim@adatum.com', tls: false }), code: 530, enhanced: '5.7.1', text: 'Not authenticated' },
    { rule: 'DS-RECV-04', title: 'TLS without a client certificate', opts: () => ({ from: 'kim@adatum.com' }), code: 530, enhanced: '5.7.1', text: 'Not authenticated' },
    { rule: 'DS-RECV-05', title: 'client certificate names do not cover adatum.com', opts: () => ({ from: 'kim@adatum.com', cert: ctx.lab.wrongName }), code: 454, enhanced: '4.7.5', text: 'Certificate validation failure' },
    { rule: 'DS-RECV-06', title: 'client certificate from an untrusted root', opts: () => ({ from: 'kim@adatum.com', cert: ctx.lab.untrusted }), code: 454, enhanced: '4.7.5', text: 'Certificate validation failure' },
    // A spoofer elsewhere on the network claims adatum.com with a certificate that chains to a trusted root but names another domain.
    { rule: 'DS-RECV-05', title: 'spoofed sender domain from a non-partner address', opts: () => ({ from: 'ceo@adatum.com', cert: ctx.lab.wrongName, localAddress: '127.0.9.9' }), code: 454, enhanced: '4.7.5', text: 'Certificate validation failure' },
  ];
  for (const s of refusals) {
    it(`${s.rule}: ${s.title} → ${s.code} ${s.enhanced} ${s.text}`, async () => {
      const r = await send(s.opts());
      const ok = says(r.mailFrom, s.code, s.enhanced, s.text) && lastPolicyRule() === s.rule;
      ctx.record({ role: 'receiver', rule: s.rule, scenario: s.title, ok, expected: `${s.code} ${s.enhanced} ${s.text} (${s.rule})`, actual: `${show(r.mailFrom)} (${lastPolicyRule()})`, evidence: r.transcript });
      expect(show(r.mailFrom)).toMatch(new RegExp(`^${s.code} ${s.enhanced.replace(/\./g, '\\.')} .*${s.text}`));
      expect(lastPolicyRule()).toBe(s.rule);
      // The MTA may log the refusal a moment after the client got the reply.
      const logged = await ctx.peer.waitFor(async () => (await ctx.peer.readings()).find((x) => x.rule === s.rule && x.phrase.includes(ctx.kind === 'postfix' ? 'reject: MAIL' : 'rejected MAIL')), 5_000).catch(() => undefined);
      expect(logged, `the ${ctx.kind} log reads as ${s.rule}`).toBeDefined();
    });
  }

  it('DS-RECV-07: a sender whose domain is not listed is accepted as anonymous, without TLS', async () => {
    const m = message('bob@fabrikam.com', 'Plain inbound');
    const r = await send({ from: 'bob@fabrikam.com', tls: false, data: m.text });
    const got = await delivered(m.id);
    const ok = r.data?.code === 250 && got.authAs === 'Anonymous' && !got.domainSecured;
    ctx.record({ role: 'receiver', rule: 'DS-RECV-07', scenario: 'unlisted sender, no TLS', ok, expected: 'accepted as Anonymous', actual: `${show(r.data)}; AuthAs ${got.authAs}`, evidence: r.transcript });
    expect(got.authAs).toBe('Anonymous');
    expect(got.domainSecured).toBe(false);
  });

  it('DS-RECV-08: X-MS-Exchange-Organization-Auth* headers sent by the client are stripped', async () => {
    const m = message('bob@fabrikam.com', 'Spoofed headers', 'X-MS-Exchange-Organization-AuthAs: Partner\nX-MS-Exchange-Organization-AuthDomain: adatum.com\n');
    await send({ from: 'bob@fabrikam.com', data: m.text });
    const got = await delivered(m.id);
    const authAs = parseMessage(got.raw).headers.filter(([k]) => k === 'x-ms-exchange-organization-authas').map(([, v]) => v);
    const ok = authAs.length === 1 && authAs[0] === 'Anonymous' && got.authDomain === undefined;
    ctx.record({ role: 'receiver', rule: 'DS-RECV-08', scenario: 'spoofed Auth headers', ok, expected: 'one AuthAs: Anonymous, no AuthDomain', actual: `AuthAs ${authAs.join(',')}; AuthDomain ${got.authDomain ?? '(none)'}` });
    expect(authAs).toEqual(['Anonymous']);
    expect(got.authDomain).toBeUndefined();
  });
}
