// An adapter as a user names it (`--external …,adapter=SPEC`, `adapter:` in a lab file, `domsec adapter check SPEC`):
// `manual`, `cmd:PATH [ARGS]` or `http://HOST:PORT/BASE`, turned into the guarded MtaAdapter the harness asks.
import { DomsecError } from '../errors.js';
import { cmdTransport } from './cmd-shim.js';
import { httpTransport } from './http-shim.js';
import { guardedAdapter, manualAdapter, type MtaAdapter } from './mta-adapter.js';
import { shimAdapter, type ShimAdapter } from './shim-adapter.js';
import { SHIM_TIMEOUT_MS } from './shim-protocol.js';

export const ADAPTER_SPEC_FORM = 'manual, cmd:PATH [ARGS] or http://HOST:PORT/BASE';

export interface AdapterSpecOptions {
  /** Where a relative PATH of cmd: is found and the command runs. */
  cwd: string;
  /** Each call's bound (default SHIM_TIMEOUT_MS, 10 s). */
  timeoutMs?: number;
}

/** Checks a spec's form without running anything: the problem as a sentence, or undefined. */
export function adapterSpecProblem(spec: string): string | undefined {
  const s = spec.trim();
  if (s === 'manual') return undefined;
  if (s.startsWith('cmd:')) return s.slice(4).trim() === '' ? 'cmd: names no command' : undefined;
  if (/^https?:\/\//i.test(s)) {
    try {
      const u = new URL(s);
      return u.hostname === '' ? 'the URL names no host' : undefined;
    } catch {
      return `"${s}" is not a URL`;
    }
  }
  return `"${s}" is not an adapter`;
}

/** The shim a spec names (unguarded: `adapter check` wants to tell a failure from a not-observable answer). */
export function shimFromSpec(spec: string, o: AdapterSpecOptions): ShimAdapter | undefined {
  const problem = adapterSpecProblem(spec);
  if (problem) throw new DomsecError('ERR_ADAPTER_SPEC', `The adapter ${problem}; give ${ADAPTER_SPEC_FORM} (docs/adapter-contract.md).`, { spec });
  const s = spec.trim();
  const timeoutMs = o.timeoutMs ?? SHIM_TIMEOUT_MS;
  if (s === 'manual') return undefined;
  const name = `the adapter ${s}`;
  if (s.startsWith('cmd:')) return shimAdapter(name, cmdTransport(s.slice(4).trim(), { cwd: o.cwd, timeoutMs, name }));
  return shimAdapter(name, httpTransport(new URL(s), { timeoutMs, name }));
}

/**
 * The adapter the harness asks: every call bounded and contained, so a failing, silent or malformed shim makes that
 * answer not observable with its message (never a pass, never a hung or failed run).
 */
export function adapterFromSpec(spec: string, o: AdapterSpecOptions): MtaAdapter {
  const shim = shimFromSpec(spec, o);
  // The transport's own timer ends the shim; the guard's, a little later, is the backstop for anything else.
  return shim ? guardedAdapter(shim, (o.timeoutMs ?? SHIM_TIMEOUT_MS) + 1_000) : manualAdapter();
}
