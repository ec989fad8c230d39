// The client side of a running lab (`lab send`, `lab mailbox`, `lab down`, `shell --dir`): the folder, its endpoints and
// the control channel. Kept apart from lab-control.ts (the server) so these commands load no simulation, TLS or SMTP code.
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { DomsecError } from '../errors.js';
import type { Endpoints } from './lab-export.js';

export const DEFAULT_LAB_DIR = '.tmp/lab';

export const ADDRESS = /^[^@\s<>]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

export function isAddress(a: string): boolean {
  return ADDRESS.test(a);
}

export function readEndpoints(dir: string): Endpoints {
  const file = join(dir, 'endpoints.json');
  if (!existsSync(file)) throw new DomsecError('ERR_USAGE', `No lab is running in ${dir} (no endpoints.json): start one with "domsec lab up --dir ${dir}".`);
  let e: Partial<Endpoints>;
  try {
    e = JSON.parse(readFileSync(file, 'utf8')) as Partial<Endpoints>;
  } catch (err) {
    throw new DomsecError('ERR_USAGE', `${file} is not readable JSON (${(err as Error).message}); restart the lab with "domsec lab up --dir ${dir}".`);
  }
  const c = e?.control;
  if (!c || typeof c.host !== 'string' || typeof c.port !== 'number' || typeof c.token !== 'string') {
    throw new DomsecError('ERR_USAGE', `${file} has no control host, port and token; restart the lab with "domsec lab up --dir ${dir}".`);
  }
  return e as Endpoints;
}

/**
 * One JSON request to the lab's control channel. A lab that is not running is a usage error with the command that
 * starts one. node:http rather than fetch: fetch loads undici on first use, which costs a short-lived command like
 * `lab send` about as much again as the rest of its start-up.
 */
export async function callLab<T>(control: { host: string; port: number; token?: string }, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const payload = body !== undefined ? JSON.stringify(body) : undefined;
  let status: number;
  let text: string;
  try {
    ({ status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: control.host, port: control.port, path, method, headers: { 'content-type': 'application/json', ...(control.token ? { authorization: `Bearer ${control.token}` } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    }));
  } catch (e) {
    throw new DomsecError('ERR_USAGE', `No lab answers on ${control.host}:${control.port}: start one with "domsec lab up --dir <dir>" (${(e as Error).message}).`);
  }
  let json: T & { code?: string; message?: string };
  try {
    json = JSON.parse(text) as T & { code?: string; message?: string };
  } catch {
    throw new DomsecError('ERR_SIM_STATE', `The lab on ${control.host}:${control.port} answered ${status} without JSON: is another program listening there?`);
  }
  if (status < 200 || status >= 300) {
    const code = json.code === 'ERR_USAGE' || json.code === 'ERR_CONTROL_REFUSED' ? json.code : 'ERR_SIM_STATE';
    throw new DomsecError(code, json.message ?? `The lab answered ${status}.`);
  }
  return json;
}
