// Compiles the `domsec` command (src/cli/main.ts and everything it imports from src/) into dist/ for a fast start:
// Node loads plain JavaScript instead of registering tsx and transpiling ~200 TypeScript files on every start.
// Run by `npm install`/`npm ci` (the prepare script) and by `npm test`; bin/domsec.mjs uses dist/ only while it is
// fresh (dist/stamp.json) and otherwise runs the sources through tsx, so editing src/ never runs stale code.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importMetaUrlOfSources } from '../src/cli/bundle-import-meta-url.mjs';
import { recordSources } from '../src/cli/sources-unchanged.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// --outdir DIR: somewhere else than dist/ (the build's own test); bin/domsec.mjs only ever runs dist/.
const at = process.argv.indexOf('--outdir');
const out = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist');

// Every chunk lands flat in dist/: modules that find their data through import.meta.url get their own file's URL back.
const sourceUrl = importMetaUrlOfSources(out, /[\\/]src[\\/].*\.ts$/);

if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, 'stamp.json'))) {
  console.error(`domsec build: ${out} is not empty and holds no earlier build (stamp.json); not clearing it.`);
  process.exit(2);
}
// esbuild comes with the devDependencies; an install without them (--omit=dev) has no tsx either, so say what is missing.
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  console.error('domsec build: esbuild is not installed (npm install without --omit=dev); bin/domsec.mjs needs the devDependencies.');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: out,
  bundle: true,
  splitting: true, // the commands main.ts imports lazily stay separate chunks, loaded only when that command runs
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external', // node_modules is resolved at run time as with tsx: one copy of each library
  chunkNames: '[name]-[hash]',
  metafile: true,
  define: { DOMSEC_COMPILED: 'true' }, // src/cli/typescript-loader.ts: register tsx for `run`'s TypeScript steps
  logLevel: 'warning',
  plugins: [sourceUrl],
});

// The freshness stamp: the modification time of every source file the bundle contains (and package.json, for the
// version). bin/domsec.mjs stats them (~160 stats, a few ms) and runs the sources through tsx when one of them changed or
// disappeared after the build, so dist/ can never run code older than src/.
const mtimes = recordSources(root, ['package.json', ...Object.keys(result.metafile.inputs)]);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'stamp.json'), `${JSON.stringify({ mtimes })}\n`);
const files = Object.keys(result.metafile.outputs).length;
if (!process.argv.includes('--quiet')) console.log(`domsec: compiled ${Object.keys(mtimes).length - 1} source files into ${relative(root, out)}/ (${files} files).`);
