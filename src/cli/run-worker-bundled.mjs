// Loaded first in each worker of `domsec run --parallel` that imports the support code as one bundled JavaScript file
// (support-bundle.ts) instead of the TypeScript files through tsx: no tsx here, and stack traces through the bundle's
// source map, so that a failing step names the same file and line as in the serial run. Plain JavaScript.
import { startWorker } from './run-worker-start.mjs';

// Before the bundle is imported: Node reads a module's source map when it loads it, if source maps are on then.
startWorker(() => process.setSourceMapsEnabled(true));
