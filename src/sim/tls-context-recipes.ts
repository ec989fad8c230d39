// What a TLS context was made from, so an edge thread (edge-thread.mjs) can make the same one: a SecureContext cannot
// cross to a worker, the options (PEM text, versions, ciphers) can.
import type tls from 'node:tls';
import { noteSentCertificates } from './simulated-leaves.js';

export interface ContextRecipe {
  /** Unique per context made in this process: a worker builds each recipe once and keeps it by this id. */
  id: string;
  options: tls.SecureContextOptions;
}

const recipes = new WeakMap<tls.SecureContext, ContextRecipe>();
let made = 0;

/** Records the options `context` was made from; returns the context. */
export function remember(context: tls.SecureContext, options: tls.SecureContextOptions): tls.SecureContext {
  recipes.set(context, { id: `c${++made}`, options });
  if (typeof options.cert === 'string') noteSentCertificates(options.cert);
  return context;
}

export function recipeOf(context: tls.SecureContext | undefined): ContextRecipe | undefined {
  return context ? recipes.get(context) : undefined;
}
