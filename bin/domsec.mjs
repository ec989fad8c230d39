#!/usr/bin/env node
// The `domsec` executable: registers tsx's ESM hook so the TypeScript sources run as they are, then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

// Node's default for SIGINT/SIGTERM ends the process without its 'exit' hooks (MTA process groups, lab locks). Until a
// command listens itself (run, lab up, lab), a signal exits through process.exit so those hooks run: 130 / 143.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    process.stderr.write(`\ndomsec: stopped by ${signal}.\n`);
    process.exit(code);
  });
}
register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: a scenario or lab that leaked a socket must not keep the command alive after its verdict.
process.exit(code);
