// The policy service's wire: Postfix keep-alive framing, Exim close-after-answer, and errors as temporary refusals.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseAttributes, startPolicyServer } from './policy-server.js';

function exchange(port: number, payload: string, untilClose: boolean, replies = 1): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      if (!untilClose && got.split('\n\n').length > replies) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('end', () => resolve(got));
    s.on('error', reject);
    s.write(payload);
  });
}

describe('policy service wire', () => {
  it('parses name=value lines, keeping "=" inside values', () => {
    expect(parseAttributes('request=smtpd_access_policy\nccert_subject=a=b\n')).toEqual({ request: 'smtpd_access_policy', ccert_subject: 'a=b' });
  });

  it('answers Postfix requests in order on one connection, and Exim requests then closes', async () => {
    const srv = await startPolicyServer(async (a) => (a.request === 'exim' ? { text: 'outcome=accept', close: true } : { text: `action=${a.n}\n\n`, close: false }));
    try {
      expect(await exchange(srv.port, 'request=p\nn=1\n\nrequest=p\nn=2\n\n', false, 2)).toBe('action=1\n\naction=2\n\n');
      expect(await exchange(srv.port, 'request=exim\n\n', true)).toBe('outcome=accept');
    } finally {
      await srv.close();
    }
  });

  it('a handler error becomes a temporary refusal, never an accepted message', async () => {
    const srv = await startPolicyServer(async () => {
      throw new Error('boom');
    });
    try {
      expect(await exchange(srv.port, 'request=p\n\n', true)).toMatch(/^action=451 4\.3\.0 /);
    } finally {
      await srv.close();
    }
  });
});
