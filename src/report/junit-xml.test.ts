// junit.xml parsed back with a strict little reader: structure CI servers read, properties, escaping.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectNdjson } from './collect-cucumber-messages.js';
import { loadExpectations } from './expectations.js';
import { renderJunitXml, xmlEscape } from './junit-xml.js';

interface El { name: string; attrs: Record<string, string>; children: El[]; text: string }

/** A strict little XML reader: enough to prove well-formedness (nesting, quoting, entities) and read the tree back. */
function parseXml(xml: string): El {
  const entity = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);|&/gi, (m, e: string | undefined) => {
    if (!e) throw new Error('bare & in XML');
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] ?? String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
  let body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const root: El = { name: '#doc', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>/;
  while (body.length > 0) {
    if (body.startsWith('<')) {
      const m = tag.exec(body);
      if (!m) throw new Error(`malformed tag near: ${body.slice(0, 40)}`);
      const [all, close, name, rawAttrs, selfClose] = m;
      if (close) {
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      } else {
        const attrs: Record<string, string> = {};
        for (const a of rawAttrs.matchAll(/([\w.-]+)="([^"]*)"/g)) {
          if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
          attrs[a[1]] = entity(a[2]);
        }
        const el: El = { name, attrs, children: [], text: '' };
        stack[stack.length - 1].children.push(el);
        if (!selfClose) stack.push(el);
      }
      body = body.slice(all.length);
    } else {
      const next = body.indexOf('<');
      const raw = next === -1 ? body : body.slice(0, next);
      if (raw.includes('>')) throw new Error('bare > in text is legal but we never emit it');
      stack[stack.length - 1].text += entity(raw);
      body = next === -1 ? '' : body.slice(next);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unclosed elements or several roots');
  return root.children[0];
}

const all = (el: El, name: string): El[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe('renderJunitXml', () => {
  const expectations = loadExpectations(new URL('./fixtures/expectations.json', import.meta.url).pathname);
  const run = collectNdjson(readFileSync(new URL('./fixtures/run.ndjson', import.meta.url), 'utf8'), { runId: 'run-lab1-20260302T090000', seed: 'lab1' }, { expectations });
  const doc = parseXml(renderJunitXml(run));

  it('is testsuites › testsuite per feature › testcase per scenario with classname = feature', () => {
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '5', failures: '1', errors: '0', skipped: '3' });
    const suites = doc.children.filter((c) => c.name === 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.skipped])).toEqual([
      ['Receiving from partners', '2', '1', '0'], ['Interoperating with Postfix', '3', '0', '3'],
    ]);
    const cases = all(doc, 'testcase');
    expect(cases).toHaveLength(5);
    for (const c of cases) expect(c.attrs.classname).toBe(all(doc, 'testsuite').find((s) => s.children.includes(c))!.attrs.name);
  });

  it('lists DS IDs and the outcome as properties', () => {
    const c = all(doc, 'testcase').find((t) => t.attrs.name === 'Mutual TLS is accepted as Partner')!;
    const props = all(c, 'property').map((p) => `${p.attrs.name}=${p.attrs.value}`);
    expect(props).toEqual(['ds-id=DS-RECV-07', 'ds-id=DS-SEND-06', 'outcome=pass']);
    expect(all(c, 'failure')).toHaveLength(0);
  });

  it('has a failure with expected vs actual for a change, skipped for expected failures', () => {
    const failing = all(doc, 'testcase').find((t) => t.attrs.name === 'No client certificate is refused')!;
    const f = all(failing, 'failure')[0];
    expect(f.attrs.message).toBe('DS-RECV-04 Listed sender with TLS but no client certificate — expected: 530 5.7.1 Not authenticated | actual: 250 2.1.0 Sender OK');
    expect(f.attrs.type).toBe('DS-RECV-04');
    expect(f.text).toMatch(/^DS-RECV-04 \(Listed sender with TLS but no client certificate\): A listed sender that negotiated TLS without presenting a client certificate/);
    expect(f.text).toContain('actual: 250 2.1.0 Sender OK');
    const xfail = all(doc, 'testcase').find((t) => t.attrs.name === 'Expired partner certificate is refused')!;
    expect(all(xfail, 'skipped')[0].attrs.message).toMatch(/^expected failure: The simulated sender/);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(xmlEscape(`<a href="x">&'\u0007`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD');
    const nasty = { ...run, scenarios: [{ ...run.scenarios[1], name: 'MAIL FROM:<a&b@x> "q" \u0001', error: ']]> <failure/>' }] };
    const back = parseXml(renderJunitXml(nasty));
    const c = all(back, 'testcase')[0];
    expect(c.attrs.name).toBe('MAIL FROM:<a&b@x> "q" \uFFFD');
    expect(all(c, 'failure')[0].text).toMatch(/\n\n\]\]> <failure\/>$/);
  });

  it('turns errors outside scenarios into an <error> testcase', () => {
    const broken = parseXml(renderJunitXml({ ...run, runErrors: ['features/x.feature: (3:1): expected: #EOF'] }));
    expect(broken.attrs.errors).toBe('1');
    expect(all(broken, 'error')[0].attrs.message).toContain('features/x.feature');
  });
});
