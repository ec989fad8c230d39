// The HTML report states each DS rule next to its ID: matrix row tooltips and legend, and the rules of a failing scenario.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectNdjson } from './collect-cucumber-messages.js';
import { renderInteropMatrix } from './html-interop-matrix.js';
import { renderMatrix } from './html-matrix.js';
import { renderScenario } from './html-scenario-detail.js';

const run = collectNdjson(readFileSync(new URL('./fixtures/run.ndjson', import.meta.url), 'utf8'), { runId: 'r', seed: 's' });

describe('rule statements in the HTML report', () => {
  it('gives each matrix row the rule title as legend and its statement as tooltip', () => {
    const html = renderMatrix(run);
    expect(html).toContain('<th class="rule" id="rule-ds-recv-04" title="A listed sender that negotiated TLS without presenting a client certificate is refused as not authenticated.">DS-RECV-04<br><span class="rule-title">Listed sender with TLS but no client certificate</span></th>');
    expect(html).toMatch(/title="DS-RECV-04 Listed sender with TLS but no client certificate × [^"]+: 1 scenario"/);
  });

  it('does the same in the interop matrix', () => {
    const html = renderInteropMatrix([{ rule: 'DS-SEND-05', implementation: 'postfix', role: 'sender', status: 'pass', scenario: 's', detail: '' }]);
    expect(html).toMatch(/<tr><th class="rule" title="If the remote server\S+s chain is untrusted, out of date, revoked or has the wrong key usage, the message is not sent\.">DS-SEND-05<br><span class="rule-title">Remote certificate chain fails<\/span><\/th>/);
  });

  it('states the rules of a failing scenario, and not of a passing one', () => {
    const failing = run.scenarios.find((s) => s.name === 'No client certificate is refused')!;
    expect(renderScenario(failing)).toContain('<ul class="rule-statements"><li><b>DS-RECV-04</b> Listed sender with TLS but no client certificate: A listed sender that negotiated TLS');
    const passing = run.scenarios.find((s) => s.name === 'Mutual TLS is accepted as Partner')!;
    expect(renderScenario(passing)).not.toContain('rule-statements');
  });
});
