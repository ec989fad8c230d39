import { describe, expect, it } from 'vitest';
import { mboxText, parsedLines } from './lab-mailbox-command.js';

const mail = {
  messageId: '<m1@adatum.com>', from: 'kim@adatum.com', to: ['pat@treyresearch.net'], subject: 'Hi', body: '', kind: 'mail' as const,
  at: '2026-03-02T09:00:00.000Z', receivedBy: 'mail.treyresearch.net', authAs: 'Anonymous' as const,
  headers: [['From', 'kim@adatum.com'], ['To', 'pat@treyresearch.net'], ['Subject', 'Hi'], ['X-MS-Exchange-Organization-AuthAs', 'Anonymous']] as [string, string][],
  raw: 'From: kim@adatum.com\r\nSubject: Hi\r\n\r\nFrom the start of a line\r\n>From quoted\r\n',
};

describe('domsec lab mailbox', () => {
  it('prints mbox: a From line in asctime, CRLF as LF, body lines starting "From " quoted', () => {
    expect(mboxText(mail)).toBe('From kim@adatum.com Mon Mar  2 09:00:00 2026\nFrom: kim@adatum.com\nSubject: Hi\n\n>From the start of a line\n>>From quoted\n');
  });

  it('--parsed: the envelope headers and whether it arrived Domain Secured', () => {
    expect(parsedLines(mail, 1)).toEqual([
      '1. <m1@adatum.com>  mail  received 2026-03-02T09:00:00.000Z by mail.treyresearch.net',
      '   From:    kim@adatum.com',
      '   To:      pat@treyresearch.net',
      '   Subject: Hi',
      '   X-MS-Exchange-Organization-AuthAs: Anonymous',
      '   Domain Secured: no (AuthAs Anonymous)',
    ]);
  });
});
