// The shim protocol as a shim author meets it: what a command or HTTP shim answers becomes a value, "not observable"
// with its reason, or a refusal naming the field; failing, silent and runaway shims never pass and never hang.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterFromSpec, shimFromSpec } from './adapter-spec.js';
import { readShimAnswer } from './shim-protocol.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const spec = (mode: string, ...rest: string[]) => `cmd:"${process.execPath}" test-shim.mjs ${[mode, ...rest].join(' ')}`;
const tmp = mkdtempSync(join(tmpdir(), 'domsec-shim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readShimAnswer', () => {
  it('refuses an unknown field, a wrong type and a non-DS rule by their path', () => {
    const code = (f: () => unknown) => { try { f(); return 'no error'; } catch (e) { return `${(e as { code: string }).code}: ${(e as Error).message}`; } };
    expect(code(() => readShimAnswer('the shim', 'queues', '{"queues":[{"nextHopDomain":"a.com","status":"Retry","messageCount":1,"lastErorr":"x"}]}')))
      .toMatch(/^ERR_ADAPTER_ANSWER: the shim answered "queues" with something that is not a v1 answer: queues\[0\]\.lastErorr: unknown key \(did you mean lastError\?\)/);
    expect(code(() => readShimAnswer('the shim', 'log', '{"lines":"one"}'))).toMatch(/ERR_ADAPTER_ANSWER: .*: lines: must be a list, not the string "one"/);
    expect(code(() => readShimAnswer('the shim', 'readings', '{"readings":[{"rule":"TLS-OK","outcome":"delivered","phrase":"x"}]}'))).toMatch(/readings\[0\]\.rule: "TLS-OK" is not a DS rule ID/);
    expect(code(() => readShimAnswer('the shim', 'retry', '{"ok":false}'))).toMatch(/^ERR_ADAPTER_FAILED: the shim answered "retry" with ok: false/);
    expect(code(() => readShimAnswer('the shim', 'submit', ''))).toMatch(/^ERR_ADAPTER_ANSWER: .*top level: not one JSON value/);
  });

  it('reads not observable with the shim\'s reason, and fills what a mailbox or queue answer may leave out', () => {
    expect(readShimAnswer('s', 'log', '{"notObservable":"syslog only"}')).toEqual({ observable: false, reason: 'syslog only' });
    const box = readShimAnswer('s', 'mailbox', '{"messages":[{"messageId":"a@b","from":"x@y.z","to":["p@q.r"],"subject":"s","headers":{"subject":"s"},"raw":"Subject: s\\n\\nb"}]}');
    expect(box.observable && box.value[0]).toMatchObject({ receivedBy: '', domainSecured: false });
    const q = readShimAnswer('s', 'queues', '{"queues":[{"nextHopDomain":"a.com","status":"Ready","messageCount":0}]}', () => new Date(0));
    expect(q).toEqual({ observable: true, value: [{ at: '1970-01-01T00:00:00.000Z', identity: 'a.com', retryCount: 0, nextHopDomain: 'a.com', status: 'Ready', messageCount: 0 }] });
  });
});

describe('cmd: shims', () => {
  it('one JSON request on stdin, one answer on stdout per call', async () => {
    const a = adapterFromSpec(spec('good'), { cwd: fixtures });
    expect(await a.submit({ from: 'a@b.c', to: ['d@e.f'], subject: 'hello', body: '' })).toEqual({ observable: true, value: 'id-hello@test' });
    expect(await a.queueState()).toMatchObject({ observable: true, value: [{ nextHopDomain: 'adatum.com', status: 'Retry', messageCount: 2, lastError: '451 4.4.0 try later' }] });
    expect(await a.readings()).toEqual({ observable: false, reason: 'the DS outcome in the MTA\'s texts is not observable through the adapter ' + spec('good') + ': the test shim has no readings' });
  });

  it('a failing, malformed, runaway or missing shim makes that answer not observable, with its message', async () => {
    const reason = async (mode: string) => {
      const x = await adapterFromSpec(spec(mode), { cwd: fixtures }).queueState();
      return x.observable ? 'observable' : x.reason;
    };
    expect(await reason('exit3')).toMatch(/^the queue state is not observable: the adapter cmd:.* failed at "queues" \(exit 3\): queue tool missing\.$/);
    expect(await reason('unknown-field')).toMatch(/queues\[0\]\.lastErorr: unknown key/);
    expect(await reason('not-json')).toMatch(/top level: not one JSON value; the answer was "OK queued\\n"\./);
    expect(await reason('error')).toMatch(/failed at "queues": postqueue: fatal: open \/etc\/postfix\/main\.cf/);
    expect(await reason('huge')).toMatch(/wrote more than 4 MiB for "queues" \(it was ended\)/);
    const missing = await adapterFromSpec('cmd:./no-such-shim.sh', { cwd: fixtures }).logLines();
    expect(missing).toEqual({ observable: false, reason: `the log is not observable: the adapter cmd:./no-such-shim.sh could not be started: ${join(fixtures, 'no-such-shim.sh')} was not found.` });
  });

  it('a shim that does not answer in time is ended and not observable', async () => {
    const pidFile = join(tmp, 'pid');
    // 5 s, not less: the shim is a Node process, and under a loaded suite it may take seconds to start and write its pid.
    const x = await adapterFromSpec(spec('slow', pidFile), { cwd: fixtures, timeoutMs: 5_000 }).logLines();
    expect(x).toEqual({ observable: false, reason: `the log is not observable: the adapter ${spec('slow', pidFile)} did not answer "log" within 5 s (it was ended).` });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => { try { process.kill(pid, 0); return 'alive'; } catch { return 'gone'; } }).toBe('gone');
  });
});

describe('http: shims', () => {
  it('POSTs the request to the URL; a 200 JSON body is the answer, any other status a failure with its text', async () => {
    const seen: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        const r = JSON.parse(body) as { call: string };
        seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], call: r.call });
        if (r.call === 'log') return void res.end('{"lines":["a"]}');
        res.writeHead(500).end('queue tool crashed\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/domsec/shim`;
      const a = adapterFromSpec(url, { cwd: tmp });
      expect(await a.logLines()).toEqual({ observable: true, value: ['a'] });
      expect(await a.queueState()).toEqual({ observable: false, reason: `the queue state is not observable: the adapter ${url} answered "queues" with HTTP 500: queue tool crashed.` });
      expect(seen).toEqual([{ method: 'POST', url: '/domsec/shim', type: 'application/json', call: 'log' }, { method: 'POST', url: '/domsec/shim', type: 'application/json', call: 'queues' }]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('an adapter spec that is none of the forms is ERR_ADAPTER_SPEC; manual answers nothing', async () => {
    for (const bad of ['postfix', 'cmd:', 'cmd:  ', 'ftp://x/', 'http://', 'cmd:"unclosed']) {
      expect(() => adapterFromSpec(bad, { cwd: tmp }), bad).toThrow(expect.objectContaining({ code: 'ERR_ADAPTER_SPEC' }));
    }
    expect(shimFromSpec('manual', { cwd: tmp })).toBeUndefined();
    expect((await adapterFromSpec('manual', { cwd: tmp }).logLines()).observable).toBe(false);
  });
});
