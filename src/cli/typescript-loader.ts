// `domsec run` loads cucumber configurations whose step definitions are TypeScript (the repository's cucumber.mjs
// registers tsx only when domsec has not; a user's or a test fixture's may not). Under tsx the hook is there already;
// the compiled command (dist/, scripts/build.mjs defines DOMSEC_COMPILED) registers it before a run, as bin/domsec.mjs
// always did, so that a configuration importing a TypeScript file loads. Once the support code is bundled
// (run-support.ts) no TypeScript is left to load, and tsx steps aside.
declare const DOMSEC_COMPILED: boolean | undefined;

/** Set while domsec's own tsx is registered: cucumber.mjs then registers none of its own (a second hook chain). */
const TYPESCRIPT_LOADER_MARK = Symbol.for('domsec.typescript-loader');

let unregister: (() => Promise<void>) | undefined;

export async function ensureTypeScriptLoader(): Promise<void> {
  if (unregister || typeof DOMSEC_COMPILED === 'undefined') return;
  const { register } = await import('tsx/esm/api');
  unregister = register();
  (globalThis as Record<symbol, unknown>)[TYPESCRIPT_LOADER_MARK] = true;
}

/**
 * tsx's hooks, registered above, pass every later import through unchanged. Node cannot remove hooks once registered:
 * tsx stops looking at each module's path and source (its loader thread was ~0.4 s of a run's start).
 */
export async function releaseTypeScriptLoader(): Promise<void> {
  const release = unregister;
  if (!release) return;
  unregister = undefined;
  delete (globalThis as Record<symbol, unknown>)[TYPESCRIPT_LOADER_MARK];
  await release();
}
