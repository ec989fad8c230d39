// Says whether a container engine answers here, and what a test must do when none does: skip with the fix, or fail under CI=true.
import http from 'node:http';
import { DomsecError } from '../../errors.js';
import { isExecutable } from '../system-accounts.js';

export interface EngineGate {
  available: boolean;
  /** Why not, with the fix, in words a developer can act on. */
  reason: string;
  /** CI=true and not available: the run must fail, not skip. */
  mustFail: boolean;
  /** The engine asked (DOCKER_HOST, or the default socket). */
  endpoint: string;
}

const START = 'start one with `eval "$(.ci/docker-engine.sh up)"` (Debian: apt-get install docker.io; see docs/ci.md)';

/** Where the engine listens: DOCKER_HOST as the docker command reads it (unix:// or tcp://), else the default socket. */
export function engineEndpoint(env: NodeJS.ProcessEnv): { label: string; options: http.RequestOptions } {
  const host = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (host.startsWith('unix://')) return { label: host, options: { socketPath: host.slice('unix://'.length) } };
  const u = new URL(host.replace(/^tcp:/, 'http:'));
  return { label: host, options: { host: u.hostname, port: Number(u.port || 2375) } };
}

function ping(options: http.RequestOptions, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ ...options, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? undefined : `answered ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

export async function engineGate(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3_000): Promise<EngineGate> {
  const { label, options } = engineEndpoint(env);
  const fail = (reason: string): EngineGate => ({ available: false, reason, mustFail: env.CI === 'true', endpoint: label });
  // Images are built with the docker command (`docker build --network host`), so the engine alone is not enough.
  if (!['/usr/bin/docker', '/usr/local/bin/docker'].some(isExecutable)) return fail(`The docker command is not installed; ${START}.`);
  const why = await ping(options, timeoutMs);
  if (why !== undefined) return fail(`No container engine answers at ${label} (${why}); ${START}.`);
  return { available: true, reason: '', mustFail: false, endpoint: label };
}

/** For start functions: no engine is an ERR_CONTAINER_ENGINE with the fix in the message. */
export async function assertEngine(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const g = await engineGate(env);
  if (!g.available) throw new DomsecError('ERR_CONTAINER_ENGINE', g.reason, { endpoint: g.endpoint });
}
