#!/usr/bin/env node
// The `domsec` executable. Runs the compiled command in dist/ (scripts/build.mjs, run by `npm install`/`npm ci` and
// `npm test`) while it matches the sources; otherwise, in development, registers tsx and runs src/cli/main.ts as it is.
import { distIsFresh } from './dist-fresh.mjs';

// Node's default for SIGINT/SIGTERM ends the process without its 'exit' hooks (MTA process groups, lab locks). Until a
// command listens itself (run, lab up, lab), a signal exits through process.exit so those hooks run: 130 / 143.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    process.stderr.write(`\ndomsec: stopped by ${signal}.\n`);
    process.exit(code);
  });
}

const root = new URL('../', import.meta.url);
// DOMSEC_TSX=1 runs the sources even when dist/ is fresh (how the tests cover the development path).
const compiled = process.env.DOMSEC_TSX !== '1' && distIsFresh(root, new URL('dist/stamp.json', root));
let main;
if (compiled) {
  ({ main } = await import('../dist/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// Exit explicitly: a scenario or lab that leaked a socket must not keep the command alive after its verdict.
process.exit(code);
