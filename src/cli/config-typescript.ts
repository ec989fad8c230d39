// Whether loading a cucumber configuration can import TypeScript, read from its files without running them. `domsec
// run` registers tsx before the configuration loads only when it can (typescript-loader.ts): tsx's hooks cost ~0.2 s
// of a run's start (its loader thread, and every later import and require passing through it), and the support code,
// bundled, needs none. The answer errs towards yes: a file it cannot follow counts as TypeScript.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const JAVASCRIPT = /\.[cm]?js$/;
const DATA = /\.(json|ya?ml)$/;
const TYPESCRIPT = /\.[cm]?tsx?$/;
/** Static specifiers: `from '…'`, `import '…'`, `import('…')`, `require('…')`; in comments too (errs towards yes). */
const SPECIFIER = /(?:\bfrom|\bimport|\bimport\s*\(|\brequire\s*\()\s*(['"`])([^'"`]+)\1/g;
/** An import or require whose specifier is computed: it cannot be followed. */
const COMPUTED = /\b(?:import|require)\s*\(\s*(?![\s'"`)])/;

/**
 * The configuration file cucumber will load: the one given, or the default it finds in `cwd` (its own locateFile);
 * null when it has none, undefined when this cucumber has no locateFile where it used to be.
 */
function configFile(given: string | undefined, cwd: string): string | null | undefined {
  if (given !== undefined) return given;
  try {
    const { locateFile } = createRequire(import.meta.url)('@cucumber/cucumber/lib/configuration/locate_file') as { locateFile(cwd: string): string | undefined };
    const found = locateFile(cwd);
    return found === undefined ? null : join(cwd, found);
  } catch {
    return undefined;
  }
}

/** Whether loading `file` (absolute) can import TypeScript: it is some, or a file it imports, relatively, can be. */
function mayLoadTypeScript(file: string, seen: Set<string>): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  if (DATA.test(file)) return false;
  if (!JAVASCRIPT.test(file)) return true;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return true;
  }
  if (COMPUTED.test(text)) return true;
  for (const [, , specifier] of text.matchAll(SPECIFIER)) {
    if (specifier.startsWith('node:')) continue;
    if (specifier.startsWith('#')) return true; // a package's import map can point anywhere
    const local = specifier.startsWith('file:') ? fileURLToPath(specifier) : /^\.{0,2}\//.test(specifier) ? resolve(dirname(file), specifier) : undefined;
    if (local === undefined) continue; // a package: JavaScript
    // No such file as written (no extension, a .js naming a .ts): only a loader like tsx finds it.
    if (TYPESCRIPT.test(local) || !existsSync(local) || mayLoadTypeScript(local, seen)) return true;
  }
  return false;
}

/** Whether `domsec run` must register tsx before cucumber loads its configuration (`--config`, or the default). */
export function configMayLoadTypeScript(given: string | undefined, cwd: string): boolean {
  const file = configFile(given, cwd);
  if (file === undefined) return true; // cannot tell which file: as if it could
  return file !== null && mayLoadTypeScript(file, new Set());
}
