// The images the container peers run, built on this machine (no registry is reachable): tagged by their Dockerfile's hash so a
// build happens once per change, plus the fixed tag docker-compose.yml names.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomsecError } from '../../errors.js';
import type { PeerImplementation } from '../peer.js';

const IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'images');
export const BASE_IMAGE = 'domsec/minbase:bookworm';
/** The fixed tags docker-compose.yml uses; the hash tags are what the harness runs. */
export const FIXED_TAGS: Record<PeerImplementation, string> = { postfix: 'domsec/postfix:debian12', exim: 'domsec/exim:debian12' };

export interface ImageBuild {
  image: string;
  /** True when this call built it (false: found in the engine's cache). */
  built: boolean;
  ms: number;
}

function docker(args: string[], timeoutMs: number): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile('docker', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, DOCKER_BUILDKIT: '0' } }, (err, stdout, stderr) => {
      resolve({ ok: !err, output: `${stdout}${stderr}`.trim() });
    });
  });
}

const hasImage = async (image: string) => (await docker(['image', 'inspect', '--format', '{{.Id}}', image], 30_000)).ok;

/**
 * `<name>:<first 12 hex of a SHA-256 over the build context>` (the Dockerfile and every file it may COPY, by path and
 * content): a changed context is a new image, an unchanged one is found again.
 */
export function imageTag(name: string, contextDir: string): string {
  const h = createHash('sha256');
  for (const f of (readdirSync(contextDir, { recursive: true }) as string[]).sort()) {
    const path = join(contextDir, f);
    if (!statSync(path).isFile()) continue;
    h.update(`${f}\0`).update(readFileSync(path)).update('\0');
  }
  return `${name}:${h.digest('hex').slice(0, 12)}`;
}

/**
 * One build at a time on this machine (test files run in parallel and may all need the same image): a lock folder holding
 * the builder's pid; a folder whose builder is gone is taken over.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'domsec-image-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let pid = NaN;
      try {
        pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch { /* being written or removed: try again */ }
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmLock(lock);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmLock(lock);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function rmLock(lock: string): void {
  rmSync(lock, { recursive: true, force: true });
}

/** The base every image here starts from (see images/base-image.sh: debootstrap + docker import, or fresh-ci's). */
async function ensureBase(): Promise<void> {
  if (await hasImage(BASE_IMAGE)) return;
  const r = await new Promise<{ ok: boolean; output: string }>((resolve) => {
    execFile('bash', [join(IMAGES_DIR, 'base-image.sh')], { timeout: 15 * 60_000 }, (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}`.trim() }));
  });
  if (!r.ok) throw new DomsecError('ERR_CONTAINER_ENGINE', `The base image ${BASE_IMAGE} could not be made (debootstrap + docker import, as root): ${r.output.split('\n').slice(-5).join(' | ')}`, { image: BASE_IMAGE });
  if (r.output) console.info(`[containers] ${r.output}`);
}

/** Builds `contextDir` (a Dockerfile FROM domsec/minbase:bookworm or anything the engine has) unless its hash tag exists. */
export async function ensureImage(name: string, contextDir: string, extraTags: string[] = []): Promise<ImageBuild> {
  const t0 = performance.now();
  const image = imageTag(name, contextDir);
  const tagAll = async () => {
    for (const t of extraTags) await docker(['tag', image, t], 30_000);
  };
  if (await hasImage(image)) {
    await tagAll();
    return { image, built: false, ms: performance.now() - t0 };
  }
  return withBuildLock(async () => {
    if (!(await hasImage(image))) {
      await ensureBase();
      // --network host: the engine has no bridge, and apt-get inside the build needs the host's network.
      const r = await docker(['build', '-q', '--network', 'host', '-t', image, contextDir], 20 * 60_000);
      if (!r.ok) throw new DomsecError('ERR_CONTAINER_ENGINE', `docker build of ${contextDir} failed: ${r.output.split('\n').slice(-8).join(' | ')}`, { image });
      await tagAll();
      return { image, built: true, ms: performance.now() - t0 };
    }
    await tagAll();
    return { image, built: false, ms: performance.now() - t0 };
  });
}

/** The container peer's image for Postfix or Exim (src/peers/containers/images/<kind>/Dockerfile). */
export function ensurePeerImage(kind: PeerImplementation): Promise<ImageBuild> {
  return ensureImage(`domsec/${kind}`, join(IMAGES_DIR, kind), [FIXED_TAGS[kind]]);
}
