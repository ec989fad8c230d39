// The HTTP transport of the shim protocol: `http://HOST:PORT/BASE`, each call one POST of the JSON request to BASE, one
// JSON answer in a 200 response. Bounded in time and size like the command transport.
import http from 'node:http';
import https from 'node:https';
import { DomsecError } from '../errors.js';
import type { ShimTransport } from './cmd-shim.js';
import { SHIM_MAX_ANSWER_BYTES } from './shim-protocol.js';

export function httpTransport(url: URL, o: { timeoutMs: number; name: string }): ShimTransport {
  const lib = url.protocol === 'https:' ? https : http;
  return (request) => new Promise((done, fail) => {
    const body = JSON.stringify(request);
    let settled = false;
    const finish = (e: DomsecError | undefined, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (e) fail(e);
      else done(text!);
    };
    const req = lib.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > SHIM_MAX_ANSWER_BYTES) finish(new DomsecError('ERR_ADAPTER_ANSWER', `${o.name} sent more than ${SHIM_MAX_ANSWER_BYTES / 1024 / 1024} MiB for "${request.call}".`, { call: request.call }));
        else chunks.push(d);
      });
      res.on('error', (e) => finish(new DomsecError('ERR_ADAPTER_FAILED', `${o.name} broke off its answer to "${request.call}": ${e.message}.`, { call: request.call })));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) return finish(undefined, text);
        finish(new DomsecError('ERR_ADAPTER_FAILED', `${o.name} answered "${request.call}" with HTTP ${res.statusCode}${text.trim() ? `: ${text.trim().split('\n')[0].slice(0, 200)}` : ''}.`, { call: request.call }));
      });
    });
    const timer = setTimeout(() => finish(new DomsecError('ERR_ADAPTER_TIMEOUT', `${o.name} did not answer "${request.call}" within ${o.timeoutMs / 1000} s.`, { call: request.call })), o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish(new DomsecError('ERR_ADAPTER_FAILED', `${o.name} could not be reached for "${request.call}": ${e.code ?? e.message}.`, { call: request.call })));
    req.end(body);
  });
}
