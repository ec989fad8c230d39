// Owns what the lab control port accepts before any route runs: a local Host, the lab's token, JSON bodies, a bounded size.
import { timingSafeEqual } from 'node:crypto';

/** Bodies are a shell line or a message to send; 1 MiB is far above either and far below what could hurt the lab. */
export const MAX_CONTROL_BODY = 1024 * 1024;

export interface ControlRequestHead {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

export type ControlCheck =
  | { ok: true; route: string; url: URL }
  | { ok: false; status: 400 | 401 | 403 | 413 | 415; message: string };

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks one request head, in this order: a path that parses (400); a Host of this listener (403: stops DNS rebinding,
 * a web page's name pointed at 127.0.0.1); an Origin, if any, of this listener too (403: a browser's cross-origin
 * request); the bearer token from endpoints.json (401); for POST, Content-Type application/json (415: a cross-origin
 * text/plain form post) and a declared length within MAX_CONTROL_BODY (413). Pure, so it is fuzzed on its own.
 */
export function checkControlRequest(head: ControlRequestHead, o: { port: number; token: string }): ControlCheck {
  let url: URL;
  try {
    const raw = head.url ?? '/';
    if (!raw.startsWith('/')) throw new Error('not origin-form');
    url = new URL(raw, `http://127.0.0.1:${o.port}`);
  } catch {
    return { ok: false, status: 400, message: 'The request path is not valid; send a path such as /status.' };
  }
  const allowed = [`127.0.0.1:${o.port}`, `localhost:${o.port}`];
  const host = single(head.headers.host)?.toLowerCase();
  if (!host || !allowed.includes(host)) {
    return { ok: false, status: 403, message: `The Host header must be ${allowed.join(' or ')}; the control port answers only local clients.` };
  }
  const origin = head.headers.origin;
  if (origin !== undefined && !allowed.map((h) => `http://${h}`).includes(String(single(origin)).toLowerCase())) {
    return { ok: false, status: 403, message: 'Cross-origin requests are refused; use domsec lab send or domsec shell --dir.' };
  }
  const auth = single(head.headers.authorization);
  const m = auth ? /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(auth) : null;
  if (!m || !sameToken(m[1]!, o.token)) {
    return { ok: false, status: 401, message: 'The request lacks the lab\'s token: send "Authorization: Bearer <control.token from endpoints.json>".' };
  }
  if (head.method === 'POST') {
    const type = single(head.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return { ok: false, status: 415, message: 'Request bodies must be JSON: send Content-Type: application/json.' };
    }
    const declared = single(head.headers['content-length']);
    if (declared !== undefined && !(Number(declared) <= MAX_CONTROL_BODY)) {
      return { ok: false, status: 413, message: `The request body is larger than ${MAX_CONTROL_BODY} bytes.` };
    }
  }
  return { ok: true, route: `${head.method ?? 'GET'} ${url.pathname}`, url };
}

/** A parsed JSON body must be an object: `{ "line": "..." }`, `{ "from": ..., "to": [...] }`. */
export function parseControlBody(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, message: 'The request body is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'The request body must be a JSON object.' };
  return { ok: true, value: value as Record<string, unknown> };
}
