// Turns a failing step's error text into what a reader needs: the message without stack noise, and expected vs actual.
import type { Mismatch } from './run-result.js';

/**
 * The scenario assertions throw "expected: …\nactual: …" (h2spec style). Either part may span lines; the stack
 * trace that cucumber appends ("    at …") is not part of the actual value.
 */
export function parseMismatch(message: string | undefined): Mismatch | undefined {
  if (!message) return undefined;
  const text = stripStack(message);
  const m = /(?:^|\n|:\s)expected:[ \t]*([\s\S]*?)\n[ \t]*actual:[ \t]*([\s\S]*)$/i.exec(text);
  if (!m) return undefined;
  return { expected: m[1].trim(), actual: m[2].trim() };
}

/** The message up to the first stack frame, and without the "Error: " prefix cucumber's formatter adds. */
export function stripStack(message: string): string {
  const lines = message.split(/\r?\n/);
  const firstFrame = lines.findIndex((l) => /^\s+at\s/.test(l));
  const kept = firstFrame === -1 ? lines : lines.slice(0, firstFrame);
  return kept.join('\n').replace(/^(?:[A-Za-z]*Error|AssertionError(?: \[[A-Z_]+\])?):\s*/, '').trimEnd();
}
