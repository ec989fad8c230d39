// `domsec run` loads cucumber configurations whose step definitions are TypeScript (the repository's cucumber.mjs
// registers tsx itself; a user's or a test fixture's may not). Under tsx the hook is there already; the compiled command
// (dist/, scripts/build.mjs defines DOMSEC_COMPILED) registers it before a run, as bin/domsec.mjs always did.
declare const DOMSEC_COMPILED: boolean | undefined;

let registered = false;

export async function ensureTypeScriptLoader(): Promise<void> {
  if (registered || typeof DOMSEC_COMPILED === 'undefined') return;
  registered = true;
  const { register } = await import('tsx/esm/api');
  register();
}
