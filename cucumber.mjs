// cucumber-js configuration: TypeScript steps are loaded through tsx's ESM hook (no ts-node).
import { register } from 'tsx/esm/api';

// Under `domsec run` the command has registered tsx already, and releases it once the support code is bundled
// (src/cli/typescript-loader.ts): a second registration here would stay, and every later import would pass through it.
if (!globalThis[Symbol.for('domsec.typescript-loader')]) register();

/** Simulated organizations only: what `npm test` and `domsec run` run by default. */
const base = {
  paths: ['features/**/*.feature'],
  // src/cli/run-worker-setup.mjs first: cucumber's parallel workers (--parallel) register tsx there.
  import: ['src/cli/run-worker-setup.mjs', 'features/support/**/*.ts', 'features/steps/**/*.ts'],
  format: ['progress', 'message:.tmp/cucumber.ndjson'],
  strict: true,
  forceExit: false,
};

/**
 * A real MTA plays treyresearch.net in features/interop (docs/interop.md). The default profile leaves that folder out:
 * those scenarios need root and an installed MTA, and src/cli/interop-run.test.ts runs them through `domsec run`.
 */
function interop(mta) {
  return {
    ...base,
    paths: ['features/interop/**/*.feature'],
    format: ['progress', `message:.tmp/cucumber-interop-${mta}.ndjson`],
    worldParameters: { implementations: { 'treyresearch.net': mta } },
  };
}

// Profile names with a hyphen cannot be named exports: cucumber takes them from a default function.
export default function profiles() {
  return {
    default: { ...base, paths: ['features/!(interop)/**/*.feature'] },
    'interop-postfix': interop('postfix'),
    'interop-exim': interop('exim'),
  };
}
