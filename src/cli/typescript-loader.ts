// `domsec run` loads cucumber configurations whose step definitions are TypeScript (the repository's cucumber.mjs
// registers tsx only when domsec has not claimed TypeScript; a user's or a test fixture's may not). Under tsx the hook
// is there already; the compiled command (dist/, scripts/build.mjs defines DOMSEC_COMPILED) registers it when
// TypeScript is to be loaded: before a configuration that can import some (config-typescript.ts), before support code
// that is not bundled (run-support.ts). Once the support code is bundled no TypeScript is left to load, and a tsx
// registered steps aside.
declare const DOMSEC_COMPILED: boolean | undefined;

/**
 * Set while domsec decides about TypeScript (its tsx registered, or to be registered when needed): cucumber.mjs then
 * registers none of its own (a hook chain that would stay).
 */
const TYPESCRIPT_LOADER_MARK = Symbol.for('domsec.typescript-loader');

let unregister: (() => Promise<void>) | undefined;

/** domsec registers tsx itself if and when TypeScript is to be loaded: a configuration must not register its own. */
export function claimTypeScript(): void {
  (globalThis as Record<symbol, unknown>)[TYPESCRIPT_LOADER_MARK] = true;
}

export async function ensureTypeScriptLoader(): Promise<void> {
  claimTypeScript();
  if (unregister || typeof DOMSEC_COMPILED === 'undefined') return;
  const { register } = await import('tsx/esm/api');
  unregister = register();
}

/**
 * tsx's hooks, registered above, pass every later import through unchanged. Node cannot remove hooks once registered:
 * tsx stops looking at each module's path and source (its loader thread was ~0.4 s of a run's start).
 */
export async function releaseTypeScriptLoader(): Promise<void> {
  delete (globalThis as Record<symbol, unknown>)[TYPESCRIPT_LOADER_MARK];
  const release = unregister;
  if (!release) return;
  unregister = undefined;
  await release();
}
