// Golden Exim 4.96 log lines → DS readings, and exim -bp + log → queue entries.
import { describe, expect, it } from 'vitest';
import { readEximLog } from './exim-error-map.js';
import { parseEximQueue } from './exim-queue.js';

// Lines as Exim 4.96 (Debian 12, GnuTLS) wrote them in this harness's runs.
const T = '2026-11-23 18:18:06';
const LOG = [
  `${T} 1xVYbf-0003Bk-02 <= kim@adatum.com H=(mail.adatum.com) [127.0.1.1] P=esmtps X=TLS1.3:ECDHE_X25519__ECDSA_SECP256R1_SHA256__AES_256_GCM:256 CV=yes DN="CN=mail.adatum.com" S=520 for pat@treyresearch.net`,
  `${T} H=(mail.adatum.com) [127.0.1.1] X=TLS1.3:ECDHE_X25519__ECDSA_SECP256R1_SHA256__AES_256_GCM:256 CV=no rejected MAIL <kim@adatum.com>: DS-RECV-04 530 5.7.1 Not authenticated`,
  `${T} H=(mail.adatum.com) [127.0.1.1] X=TLS1.3:ECDHE_X25519__ECDSA_SECP256R1_SHA256__AES_256_GCM:256 CV=yes DN="CN=mail.fabrikam.net" temporarily rejected MAIL <kim@adatum.com>: DS-RECV-05 454 4.7.5 Certificate validation failure`,
  `${T} 1xVYlr-0000Hg-1V <= pat@treyresearch.net U=root P=local S=339 id=x@mail.treyresearch.net for kim@adatum.com`,
  `${T} 1xVYlr-0000Hg-1V => kim@adatum.com R=route_1 T=route_1_smtp H=127.0.1.1 [127.0.1.1]:35407 X=TLS1.3:ECDHE_SECP256R1__ECDSA_SECP256R1_SHA256__AES_256_GCM:256 CV=yes DN="CN=mail.adatum.com" C="250 OK: message queued"`,
  `${T} 1xVYcA-0003KV-1x <= pat@treyresearch.net U=root P=local S=328 for kim@woodgrovebank.com`,
  `${T} 1xVYcA-0003KV-1x SSL verify denied by event-action: depth=0: DS-SEND-04: The remote certificate names (mail.fabrikam.net) do not cover woodgrovebank.com (DS-CERT-02).`,
  `${T} 1xVYcA-0003KV-1x == kim@woodgrovebank.com R=route_2 T=route_2_smtp defer (-37) H=127.0.1.12 [127.0.1.12]: TLS session: (gnutls_handshake): Error in the certificate.`,
  `${T} 1xVYc6-0003Jz-1G == kim@contoso.com R=route_1 T=route_1_smtp defer (-37) H=127.0.1.11 [127.0.1.11]: TLS session: (certificate verification failed): certificate invalid`,
  `${T} 1xVYcE-0003Lu-2f == kim@fabrikam.com R=route_3 T=route_3_smtp defer (-38) H=127.0.1.13 [127.0.1.13]: a TLS session is required, but the server did not offer TLS support`,
  `${T} 1xVYcF-0003Lu-2f == kim@litware.com R=route_4 defer (-1): 451 4.7.3 The admin has temporarily disallowed this secure domain`,
];

describe('Exim error map', () => {
  it('reads the DS id the ACL logged, and Exim\'s own phrases on the send side', () => {
    expect(readEximLog(LOG).map((r) => `${r.rule} ${r.outcome}`)).toEqual([
      'DS-RECV-07 accepted', 'DS-RECV-04 rejected', 'DS-RECV-05 rejected', 'DS-SEND-06 delivered',
      'DS-SEND-04 deferred', 'DS-SEND-05 deferred', 'DS-SEND-02 deferred', 'DS-SEND-01 deferred',
    ]);
  });

  it('exim -bp plus the log: the queued message, its last reason and its DS reading', () => {
    const bp = ' 0m   328 1xVYcA-0003KV-1x <pat@treyresearch.net>\n          kim@woodgrovebank.com\n\n';
    expect(parseEximQueue(bp, LOG)).toEqual([expect.objectContaining({
      queueId: '1xVYcA-0003KV-1x', queue: 'deferred', sender: 'pat@treyresearch.net', attempts: 1,
      recipients: [expect.objectContaining({ address: 'kim@woodgrovebank.com', delayReason: expect.stringContaining('Error in the certificate'), reading: expect.objectContaining({ rule: 'DS-SEND-04' }) })],
    })]);
  });
});
