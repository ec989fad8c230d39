// The adapter contract: the manual adapter answers nothing but says why; a failing or silent adapter is not observable.
import { describe, expect, it } from 'vitest';
import { guardedAdapter, manualAdapter, type MtaAdapter } from './mta-adapter.js';

const msg = { from: 'alice@treyresearch.net', to: ['administrator@adatum.com'], subject: 's', body: 'b' };

describe('MtaAdapter', () => {
  it('the manual (SMTP only) adapter reports every question as not observable, never as a value', async () => {
    const a = manualAdapter();
    const answers = [await a.submit(msg), await a.readMailbox('bob@treyresearch.net'), await a.queueState(), await a.retry(), await a.logLines(), await a.readings()];
    for (const x of answers) {
      expect(x.observable).toBe(false);
      if (!x.observable) expect(x.reason).toMatch(/is not observable through the manual adapter \(SMTP only\): \S/);
    }
  });

  it('an adapter that throws or does not answer in time is not observable, with its message', async () => {
    const broken: MtaAdapter = {
      ...manualAdapter(), name: 'the vendor shim',
      queueState: async () => { throw new Error('exit 3: queue tool missing'); },
      logLines: () => new Promise(() => undefined),
      retry: async () => ({ observable: true, value: undefined }),
    };
    const g = guardedAdapter(broken, 50);
    expect(await g.queueState()).toEqual({ observable: false, reason: 'the queue state is not observable through the vendor shim: the adapter failed: exit 3: queue tool missing' });
    expect(await g.logLines()).toEqual({ observable: false, reason: 'the log is not observable through the vendor shim: no answer within 0.05 s' });
    expect(await g.retry()).toEqual({ observable: true, value: undefined });
  });
});
