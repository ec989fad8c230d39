// Maildir messages → delivered messages with envelope recipients and the Domain Secured verdict.
import { describe, expect, it } from 'vitest';
import { composeMessage, parseMessage, readDelivered } from './maildir.js';

const POSTFIX_DELIVERED = [
  'Return-Path: <kim@adatum.com>', 'X-Original-To: pat@treyresearch.net', 'Delivered-To: pat@treyresearch.net',
  'X-MS-Exchange-Organization-AuthSource: mail.treyresearch.net', 'X-MS-Exchange-Organization-AuthAs: Partner',
  'X-MS-Exchange-Organization-AuthMechanism: 02', 'X-MS-Exchange-Organization-AuthDomain: adatum.com',
  'Received: from mail.adatum.com (unknown [127.0.1.1])', '\t(Client CN "mail.adatum.com", Issuer "Adatum Issuing CA" (verified OK))',
  'Subject: hi', 'Message-ID: <m1@adatum.com>', '', 'hello', '',
].join('\n');

describe('Maildir reading', () => {
  it('reads envelope recipients, unfolded headers and the Domain Secured verdict (DS-RECV-08)', () => {
    const m = readDelivered(POSTFIX_DELIVERED, 'mail.treyresearch.net');
    expect(m).toMatchObject({ messageId: 'm1@adatum.com', from: 'kim@adatum.com', to: ['pat@treyresearch.net'], authAs: 'Partner', authDomain: 'adatum.com', domainSecured: true });
    expect(m.headers.received).toContain('(verified OK)');
  });

  it('anonymous mail is not Domain Secured; Exim\'s Envelope-to names the recipients', () => {
    const m = readDelivered('Envelope-to: pat@treyresearch.net\nX-MS-Exchange-Organization-AuthAs: Anonymous\n\nx\n', 'mail.treyresearch.net');
    expect(m).toMatchObject({ to: ['pat@treyresearch.net'], authAs: 'Anonymous', domainSecured: false });
  });

  it('composes a submission that parses back with our Message-ID', () => {
    const text = composeMessage({ from: 'a@x.com', to: ['b@y.com'], subject: 's', body: 'b' }, 'id1@x.com', new Date('2026-03-02T09:00:00Z'));
    expect(parseMessage(text).headers).toContainEqual(['message-id', '<id1@x.com>']);
  });
});
