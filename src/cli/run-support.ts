// How `domsec run` loads the support code in its own process: cucumber matches steps to step definitions there (and a
// serial run runs its scenarios there). The files bundled into one JavaScript module (support-bundle.ts), as the
// workers import them, when that can be built: through tsx's hooks the same files took ~0.7 s of the ~1.5 s before a
// run's first scenario, with tsx's loader thread busy beside it. Otherwise the files themselves, through tsx.
import { createRequire } from 'node:module';
import { configError } from './cucumber-error.js';
import { WORKER_SETUP } from './run-parallel.js';
import { supportBundle } from './support-bundle.js';
import { ensureTypeScriptLoader, releaseTypeScriptLoader } from './typescript-loader.js';

type Api = typeof import('@cucumber/cucumber/api');
type LoadOptions = Parameters<Api['loadSupport']>[0];
type Environment = Parameters<Api['loadSupport']>[1];
type Library = Awaited<ReturnType<Api['loadSupport']>>;

export interface RunSupport {
  library: Library;
  /** The bundle the library was imported from, which the workers import too; undefined: the files through tsx. */
  bundle?: string;
}

type ResolvePaths = (logger: { debug(...a: unknown[]): void }, cwd: string, sources: LoadOptions['sources'], support: LoadOptions['support']) => Promise<{ importPaths: string[] }>;

/**
 * The files cucumber would import for `options`, in its order (its step definitions' ids follow it), from cucumber's own
 * path resolution (globs, defaults next to the features); undefined if this cucumber has none where it used to be.
 */
async function importPathsOf(options: LoadOptions, cwd: string): Promise<string[] | undefined> {
  try {
    const { resolvePaths } = createRequire(import.meta.url)('@cucumber/cucumber/lib/paths/paths') as { resolvePaths: ResolvePaths };
    return (await resolvePaths({ debug: () => undefined }, cwd, options.sources, options.support)).importPaths;
  } catch {
    return undefined;
  }
}

/** Support code that comes only from `import` files (no `require`, modules or loaders) can be bundled. */
function bundleable(support: LoadOptions['support']): boolean {
  return (support.requirePaths ?? []).length === 0 && (support.requireModules ?? []).length === 0 && (support.loaders ?? []).length === 0;
}

export async function loadRunSupport(api: Api, options: LoadOptions, environment: Environment, bundle = supportBundle): Promise<RunSupport> {
  const files = bundleable(options.support) ? await importPathsOf(options, environment?.cwd ?? process.cwd()) : undefined;
  // The tsx worker setup is only for workers that import the files themselves (run-worker-setup.mjs): not bundled.
  const bundled = files ? await bundle(files.filter((f) => f !== WORKER_SETUP)) : undefined;
  if (bundled) {
    await releaseTypeScriptLoader(); // first: tsx puts back the source-map setting it found when it was registered
    // Before the import: Node reads a module's source map when it loads it. A step definition's file and line, and a
    // failing step's stack, name the .ts files as under tsx.
    process.setSourceMapsEnabled(true);
  } else {
    await ensureTypeScriptLoader(); // the files themselves, TypeScript among them
  }
  try {
    const library = await api.loadSupport({ ...options, support: bundled ? { ...options.support, importPaths: [bundled] } : options.support }, environment);
    return { library, ...(bundled ? { bundle: bundled } : {}) };
  } catch (e) {
    throw configError('the support code could not be loaded', e);
  }
}
