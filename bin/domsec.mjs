#!/usr/bin/env node
// The `domsec` executable: registers tsx's ESM hook so the TypeScript sources run as they are, then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: a scenario or lab that leaked a socket must not keep the command alive after its verdict.
process.exit(code);
