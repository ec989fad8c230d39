// `domsec run` imports the support code in its own process and, with --parallel, again in every worker. Through tsx
// that costs each process ~1.3 s of CPU before its first scenario (tsx's hooks alone ~0.4 s, then ~250 TypeScript
// modules one by one); the same files bundled into one JavaScript module load in ~0.55 s (run-support.ts).
// The bundle is built once and kept while its sources are unchanged (like dist/, scripts/build.mjs). Its source map
// keeps the step definitions' files and lines, and failing steps' stacks, what they are under tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { importMetaUrlOfSources } from './bundle-import-meta-url.mjs';
import { recordSources, sourcesUnchanged } from './sources-unchanged.mjs';

const STAMP = '// domsec-support-stamp ';
/** The bundle's entry: no file, the imports written out (esbuild's stdin). */
const ENTRY = 'domsec-support-entry.mjs';

/** The project whose node_modules domsec runs from: the bundle sits in its node_modules/.cache so packages resolve alike. */
function projectRoot(): string | undefined {
  try {
    const cucumber = createRequire(import.meta.url).resolve('@cucumber/cucumber');
    const at = cucumber.lastIndexOf(`${sep}node_modules${sep}`);
    return at > 0 ? cucumber.slice(0, at) : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, file: string): boolean {
  const r = relative(root, file);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) && !r.split(sep).includes('node_modules');
}

/** The stamp on the bundle's last line, when every file it was built from is unchanged. */
function fresh(file: string, root: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const line = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
  if (!line.startsWith(STAMP)) return false;
  try {
    return sourcesUnchanged(root, (JSON.parse(line.slice(STAMP.length)) as { mtimes: Record<string, number> }).mtimes);
  } catch {
    return false;
  }
}

/**
 * One JavaScript module importing `importPaths` in their order (cucumber gives each step definition an id by the order
 * of definition: the workers' must match the main process's), or undefined when there is none to give: esbuild is not
 * installed (an install without devDependencies), a support file lies outside this project or in node_modules, or the
 * build fails. Then the workers import the files through tsx, as before: slower, never different.
 */
export async function supportBundle(importPaths: readonly string[]): Promise<string | undefined> {
  const root = projectRoot();
  if (!root || importPaths.length === 0 || !importPaths.every((p) => inside(root, p))) return undefined;
  const key = createHash('sha256').update(JSON.stringify(importPaths)).digest('hex').slice(0, 16);
  const file = join(root, 'node_modules', '.cache', 'domsec', `support-${key}.mjs`);
  if (fresh(file, root)) return file;
  try {
    const { build } = await import('esbuild');
    const result = await build({
      absWorkingDir: root,
      stdin: { contents: importPaths.map((p) => `import ${JSON.stringify(p)};`).join('\n'), resolveDir: root, sourcefile: ENTRY, loader: 'js' },
      outfile: file,
      write: false,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external', // resolved at run time from the project's node_modules, as tsx does: one copy of each library
      sourcemap: 'inline', // run-worker-bundled.mjs turns source maps on: a failing step's stack names the .ts file and line
      sourcesContent: false,
      define: { DOMSEC_COMPILED: 'true' }, // typescript-loader.ts: register tsx only if a TypeScript file is imported later
      metafile: true,
      logLevel: 'silent',
      plugins: [importMetaUrlOfSources(dirname(file), /\.[cm]?[jt]s$/)], // packages are external: only the project's files load
    });
    // tsconfig.json too: esbuild reads it (how classes and decorators compile) though no module imports it.
    const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== ENTRY);
    const mtimes = recordSources(root, existsSync(join(root, 'tsconfig.json')) ? [...inputs, 'tsconfig.json'] : inputs);
    // Written aside and renamed: a run starting meanwhile (a shard beside this one) reads the old bundle or the new one.
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, `${result.outputFiles[0]!.text}\n${STAMP}${JSON.stringify({ mtimes })}\n`);
      renameSync(temp, file);
    } finally {
      rmSync(temp, { force: true });
    }
    return file;
  } catch {
    return undefined;
  }
}
