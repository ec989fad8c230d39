// An esbuild plugin for bundles of the project's own modules (dist/ by scripts/build.mjs; the workers' support bundle,
// support-bundle.ts). Plain JavaScript: scripts/build.mjs runs before anything is compiled.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Modules find their data next to themselves (catalogue.json, labs/*.yaml, shell scripts, package.json, edge-thread.mjs)
 * through import.meta.url, which in a bundle is the bundle's URL. Each such module (files matching `filter`)
 * gets its original file's URL back, computed from the bundle's location `out`: the bundle reads the same files tsx does.
 */
export function importMetaUrlOfSources(out, filter) {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const fromOut = relative(out, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`), loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}
