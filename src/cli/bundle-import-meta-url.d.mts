// Types for bundle-import-meta-url.mjs (plain JavaScript: scripts/build.mjs runs it before anything is compiled).
import type { Plugin } from 'esbuild';

export declare function importMetaUrlOfSources(out: string, filter: RegExp): Plugin;
