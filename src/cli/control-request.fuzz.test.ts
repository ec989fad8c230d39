// Fuzzes the control port's request checks: any head or body gives an answer (never an exception), and nothing is
// let through without this listener's Host and the exact token (issue 10 item 8). FUZZ_SEED=n explores another seed.
import { describe, expect, it } from 'vitest';
import { fuzz, type Rng } from '../../test/fuzz-kit.js';
import { checkControlRequest, type ControlRequestHead, parseControlBody } from './control-request.js';

const PORT = 40123;
const TOKEN = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6cXV1enF1dXo';
const URLS = ['/', '/status', '/send', '/shell?x=1', 'http://[', '//evil', '/%', '/%00', '*', '', '/../..', '/mailbox?address=a@b.c', '\u0000', 'http://127.0.0.1/'];
const HOSTS = [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `LOCALHOST:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, 'evil.example', `evil.example:${PORT}`, '', `[::1]:${PORT}`, `127.0.0.1:${PORT} `];
const AUTHS = [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer ${TOKEN.slice(1)}`, `Bearer ${TOKEN}x`, 'Bearer ', `Basic ${TOKEN}`, TOKEN, '', `Bearer ${TOKEN} `];
const TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'APPLICATION/JSON', '', 'application/jsonx', 'multipart/form-data'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', undefined];
const JSONISH = ['{', '}', '[', ']', '"', ':', ',', 'null', 'true', '1', '-', 'e', '\\u0000', '"line"', ' ', '\n', '__proto__'];

function maybeList(rng: Rng, v: string): string | string[] | undefined {
  if (rng.chance(0.1)) return undefined;
  return rng.chance(0.1) ? [v, rng.pick([v, 'other'])] : v;
}

function head(rng: Rng): ControlRequestHead {
  return {
    method: rng.pick(METHODS),
    url: rng.chance(0.8) ? rng.pick(URLS) : rng.mutate(rng.pick(URLS), ['/', '?', '#', '%', '[', ':', '@', '\\', 'a', ' ']),
    headers: {
      host: maybeList(rng, rng.chance(0.9) ? rng.pick(HOSTS) : rng.mutate(rng.pick(HOSTS), [':', '.', '1', 'a'])),
      authorization: maybeList(rng, rng.chance(0.9) ? rng.pick(AUTHS) : rng.mutate(rng.pick(AUTHS), [' ', 'A', '=', '-'])),
      'content-type': maybeList(rng, rng.pick(TYPES)),
      ...(rng.chance(0.2) ? { origin: rng.pick(['http://evil.example', `http://127.0.0.1:${PORT}`, 'null', '']) } : {}),
      ...(rng.chance(0.2) ? { 'content-length': rng.pick(['0', '10', String(2 ** 40), '-1', 'abc', '1e3']) } : {}),
    },
  };
}

describe('control request fuzz', () => {
  it('every head gets an answer; only a local Host with the exact token passes', async () => {
    await fuzz({
      name: 'control request head', seed: 50, runs: 5_000, generate: head,
      check: (h) => {
        const r = checkControlRequest(h, { port: PORT, token: TOKEN });
        if (!r.ok) {
          expect([400, 401, 403, 413, 415]).toContain(r.status);
          return;
        }
        expect([`127.0.0.1:${PORT}`, `localhost:${PORT}`]).toContain(String(h.headers.host).toLowerCase());
        expect(h.headers.authorization).toBe(`Bearer ${TOKEN}`);
        if (h.method === 'POST') expect(String(h.headers['content-type']).split(';')[0]!.trim().toLowerCase()).toBe('application/json');
        expect(r.route.startsWith(`${h.method ?? 'GET'} /`)).toBe(true);
      },
    });
  });

  it('any body text is a JSON object or a refusal, never an exception', async () => {
    await fuzz({
      name: 'control request body', seed: 51, runs: 5_000,
      generate: (rng) => (rng.chance(0.3) ? rng.mutate('{"line":"Get-TransportConfig","org":"adatum.com"}', JSONISH) : rng.text(JSONISH, rng.int(30))),
      check: (text) => {
        const r = parseControlBody(text);
        if (r.ok) expect(typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value)).toBe(true);
      },
    });
  });
});
