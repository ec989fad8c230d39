// Loaded first in each of cucumber's parallel workers (domsec run --parallel, cucumber-js --parallel through cucumber.mjs).
// A worker is a fresh Node process that imports the support code itself: tsx must be registered there before the
// TypeScript support and step files load. Plain JavaScript on purpose: it runs before any TypeScript can.
// It defines no hook or step: the workers' support code must match the main process's one by one (cucumber's ids).
// `domsec run` hands its workers the support code bundled instead, when it can (run-worker-bundled.mjs).
import { register } from 'tsx/esm/api';
import { startWorker } from './run-worker-start.mjs';

startWorker(() => register());
