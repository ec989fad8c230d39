// The lab control port refuses what a hostile local user or a web page would send: no token, a foreign Host or Origin,
// a non-JSON body, an oversized body, a malformed request line. Each refusal is checked on a real listener.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../sim/index.js';
import { callLab, type LabControl, startLabControl } from './lab-control.js';
import { MAX_CONTROL_BODY } from './control-request.js';

interface Answer { status: number; body: { code?: string; message?: string } & Record<string, unknown> }

function request(port: number, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path ?? '/status', headers: o.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('lab control port', () => {
  let lab: Lab;
  let control: LabControl;
  let good: Record<string, string>;
  beforeAll(async () => {
    lab = await startLab('adatum-treyresearch', { seed: 'control' });
    control = await startLabControl(lab, () => undefined);
    good = { host: `127.0.0.1:${control.port}`, authorization: `Bearer ${control.token}` };
  }, 30_000);
  afterAll(async () => {
    await control?.close();
    await lab?.sim.stop();
  });

  it('answers a request with the token and a local Host', async () => {
    expect(await request(control.port, { headers: good })).toMatchObject({ status: 200, body: { lab: 'adatum-treyresearch' } });
    expect(await request(control.port, { headers: { ...good, host: `localhost:${control.port}` } })).toMatchObject({ status: 200 });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['a token in the wrong scheme', { authorization: 'Basic abc' }],
  ])('refuses %s with 401', async (_what, auth) => {
    const { authorization: _a, ...rest } = good;
    const r = await request(control.port, { headers: { ...rest, ...auth } });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('ERR_CONTROL_REFUSED');
  });

  it.each(['evil.example', `evil.example:${'1'}`, '127.0.0.1', `127.0.0.1:${1}`])('refuses the foreign Host %s with 403', async (host) => {
    const r = await request(control.port, { headers: { ...good, host } });
    expect(r.status).toBe(403);
  });

  it('refuses a cross-origin request (a web page) with 403 even with the token', async () => {
    const r = await request(control.port, { method: 'POST', path: '/shell', headers: { ...good, origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{"line":"Get-TransportConfig"}' });
    expect(r.status).toBe(403);
  });

  it('refuses a text/plain body (a cross-origin form post) with 415 and runs nothing', async () => {
    const before = lab.sim.orgs[0]!.model.transport.tlsReceiveDomainSecureList.length;
    const r = await request(control.port, { method: 'POST', path: '/shell', headers: { ...good, 'content-type': 'text/plain' }, body: '{"line":"Set-TransportConfig -TLSReceiveDomainSecureList $null"}' });
    expect(r.status).toBe(415);
    expect(lab.sim.orgs[0]!.model.transport.tlsReceiveDomainSecureList.length).toBe(before);
  });

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const big = Buffer.alloc(MAX_CONTROL_BODY + 1, 0x20);
    expect((await request(control.port, { method: 'POST', path: '/shell', headers: { ...good, 'content-type': 'application/json' }, body: big })).status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: control.port, method: 'POST', path: '/shell', headers: { ...good, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(Buffer.alloc(MAX_CONTROL_BODY / 2, 0x20));
      req.end();
    });
    expect(streamed).toBe(413);
  });

  it('refuses a body that is not a JSON object, and a send request of the wrong shape, with 400', async () => {
    const post = (path: string, body: string) => request(control.port, { method: 'POST', path, headers: { ...good, 'content-type': 'application/json' }, body });
    expect((await post('/shell', '{"line":')).status).toBe(400);
    expect((await post('/shell', '[1,2]')).status).toBe(400);
    expect((await post('/shell', '{"line":42}')).status).toBe(400);
    expect((await post('/send', '{"from":"a@adatum.com","to":"b@treyresearch.net"}')).status).toBe(400);
  });

  it('survives a malformed request line and an absolute-form target', async () => {
    const raw = await new Promise<string>((resolve) => {
      const s = net.connect(control.port, '127.0.0.1', () => s.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${control.port}\r\nAuthorization: ${good.authorization}\r\n\r\n`));
      let out = '';
      s.on('data', (c) => { out += String(c); });
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
    });
    expect(raw === '' || /^HTTP\/1\.1 400/.test(raw)).toBe(true);
    expect((await request(control.port, { headers: good })).status).toBe(200);
  });

  it('callLab sends the token; without it the CLI gets ERR_CONTROL_REFUSED', async () => {
    const status = await callLab<{ lab: string }>({ host: '127.0.0.1', port: control.port, token: control.token }, 'GET', '/status');
    expect(status.lab).toBe('adatum-treyresearch');
    await expect(callLab({ host: '127.0.0.1', port: control.port }, 'GET', '/status')).rejects.toMatchObject({ code: 'ERR_CONTROL_REFUSED' });
  });
});
