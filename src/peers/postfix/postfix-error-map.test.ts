// Golden Postfix 3.7 log lines → DS readings, with the per-process context the map relies on.
import { describe, expect, it } from 'vitest';
import { readPostfixLog, readPostfixReason } from './postfix-error-map.js';

// Lines as Postfix 3.7 (Debian 12) wrote them in this harness's runs.
const H = 'Nov 23 18:16:12 mail postfix';
const LOG = [
  `${H}/smtpd[10311]: connect from unknown[127.0.1.1]:43451`,
  `${H}/smtpd[10311]: Anonymous TLS connection established from unknown[127.0.1.1]:43451: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
  `${H}/smtpd[10311]: NOQUEUE: reject: MAIL from unknown[127.0.1.1]:43451: 530 5.7.1 <kim@adatum.com>: Sender address rejected: Not authenticated; from=<kim@adatum.com> proto=ESMTP helo=<mail.adatum.com>`,
  `${H}/smtpd[10311]: connect from unknown[127.0.1.1]:43452`,
  `${H}/smtpd[10311]: NOQUEUE: reject: MAIL from unknown[127.0.1.1]:43452: 530 5.7.1 <kim@adatum.com>: Sender address rejected: Not authenticated; from=<kim@adatum.com> proto=ESMTP helo=<mail.adatum.com>`,
  `${H}/smtpd[10311]: connect from unknown[127.0.1.1]:44007`,
  `${H}/smtpd[10311]: Trusted TLS connection established from unknown[127.0.1.1]:44007: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
  `${H}/smtpd[10311]: NOQUEUE: reject: MAIL from unknown[127.0.1.1]:44007: 454 4.7.5 <mail.fabrikam.net>: Client certificate rejected: Certificate validation failure; from=<kim@adatum.com>`,
  `${H}/smtpd[10311]: connect from unknown[127.0.1.1]:40005`,
  `${H}/smtpd[10311]: Untrusted TLS connection established from unknown[127.0.1.1]:40005: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
  `${H}/smtpd[10311]: NOQUEUE: reject: MAIL from unknown[127.0.1.1]:40005: 454 4.7.5 <mail.adatum.com>: Client certificate rejected: Certificate validation failure; from=<kim@adatum.com>`,
  `${H}/smtp[9060]: Verified TLS connection established to 127.0.1.1[127.0.1.1]:2526: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
  `${H}/smtp[9060]: 9176A20C385: to=<kim@adatum.com>, relay=127.0.1.1[127.0.1.1]:2526, delay=37, delays=37/0/0.12/0, dsn=2.0.0, status=sent (250 OK: message queued)`,
  `${H}/smtp[9060]: server certificate verification failed for 127.0.1.1[127.0.1.1]:2526: num=62:hostname mismatch`,
  `${H}/smtp[9060]: Untrusted TLS connection established to 127.0.1.1[127.0.1.1]:2526: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
  `${H}/smtp[9060]: 27DC320C263: to=<kim@adatum.com>, relay=127.0.1.1[127.0.1.1]:2526, delay=9, dsn=4.7.5, status=deferred (Server certificate not verified)`,
  `${H}/smtp[9060]: certificate verification failed for 127.0.1.1[127.0.1.1]:2526: untrusted issuer /CN=evil Root`,
  `${H}/smtp[9060]: Untrusted TLS connection established to 127.0.1.1[127.0.1.1]:2526: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
  `${H}/smtp[9060]: D698720C3FA: to=<kim@adatum.com>, relay=127.0.1.1[127.0.1.1]:2526, delay=2.2, dsn=4.7.5, status=deferred (Server certificate not verified)`,
  `${H}/smtp[9060]: 911CF20C12E: to=<kim@adatum.com>, relay=127.0.1.1[127.0.1.1]:2526, delay=0.11, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host 127.0.1.1[127.0.1.1])`,
  `${H}/smtp[9060]: 9176A20C385: to=<kim@adatum.com>, relay=none, delay=31, dsn=4.4.1, status=deferred (connect to 127.0.1.1[127.0.1.1]:2526: Connection refused)`,
  `${H}/virtual[8946]: 317B820C371: to=<pat@treyresearch.net>, relay=virtual, delay=0.02, dsn=2.0.0, status=sent (delivered to maildir)`,
];

describe('Postfix error map', () => {
  it('reads each refusal and delivery with the context Postfix logged before it', () => {
    expect(readPostfixLog(LOG).map((r) => `${r.rule} ${r.outcome}`)).toEqual([
      'DS-RECV-04 rejected', 'DS-RECV-02 rejected', 'DS-RECV-05 rejected', 'DS-RECV-06 rejected',
      'DS-SEND-06 delivered', 'DS-SEND-04 deferred', 'DS-SEND-05 deferred', 'DS-SEND-02 deferred', 'DS-QUEUE-06 deferred',
    ]);
  });

  it('reads a queue delay reason, with the last attempt\'s lines as context', () => {
    expect(readPostfixReason('Server certificate not verified', ['server certificate verification failed for x: num=62:hostname mismatch'])?.rule).toBe('DS-SEND-04');
    expect(readPostfixReason('Server certificate not verified')?.rule).toBe('DS-SEND-05');
    expect(readPostfixReason('The admin has temporarily disallowed this secure domain')?.rule).toBe('DS-SEND-01');
    expect(readPostfixReason('something else entirely')).toBeUndefined();
  });
});
