// Waiting on a real MTA: a timeout says what the MTA logged last, since a CI run keeps only the failure message.
import { describe, expect, it } from 'vitest';
import { pollUntil } from './mta-process.js';

describe('pollUntil', () => {
  it('gives what the probe found as soon as it finds it', async () => {
    let calls = 0;
    await expect(pollUntil(async () => (++calls === 3 ? 'found' : undefined), 5_000, 'the peer')).resolves.toBe('found');
    expect(calls).toBe(3);
  });

  it('times out with ERR_PEER_TIMEOUT and the last 30 lines of the log', async () => {
    const log = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    // <never>: the probe never finds anything, so only the error can come back.
    const error = await pollUntil<never>(async () => undefined, 30, 'the Postfix peer', async () => log).catch((e: unknown) => e as Error & { code: string });
    expect(error.code).toBe('ERR_PEER_TIMEOUT');
    expect(error.message).toMatch(/^Timed out after 30 ms waiting for the Postfix peer; its last 30 log lines:\nline 11\n/);
    expect(error.message).toMatch(/\nline 40$/);
    expect(error.message).not.toMatch(/line 10\n/);
  });

  it('without a log (or when it cannot be read) says where to look', async () => {
    for (const logTail of [undefined, async () => [], async () => Promise.reject(new Error('gone'))]) {
      await expect(pollUntil(async () => undefined, 10, 'the peer', logTail)).rejects.toThrow('Timed out after 10 ms waiting for the peer; read its log() to see why.');
    }
  });
});
