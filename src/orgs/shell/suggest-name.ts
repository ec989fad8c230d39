// Owns "did you mean" for the shell: the known names closest to a mistyped cmdlet or parameter, by edit distance.
import { editDistance } from '../../suggest.js';

// The distance itself is the one src/suggest.ts gives every layer (a swapped pair of letters is one edit).
export { editDistance };

/**
 * The candidates a user most likely meant, best first (at most `max`). A candidate qualifies when it is within
 * about a third of the longer name's length in edits (so "Get-Queu" finds Get-Queue but "Foo" finds nothing),
 * or when the written name is a case-insensitive substring of it (`Queue` → Get-Queue, Retry-Queue).
 */
export function suggestNames(written: string, candidates: readonly string[], max = 3): string[] {
  const w = written.trim();
  if (w === '') return [];
  const scored = candidates.map((c) => {
    const dist = editDistance(w, c);
    const limit = Math.max(1, Math.floor(Math.max(w.length, c.length) / 4));
    const contains = w.length >= 3 && c.toLowerCase().includes(w.toLowerCase());
    return { c, dist, ok: dist <= limit || contains };
  }).filter((x) => x.ok);
  scored.sort((x, y) => x.dist - y.dist || x.c.localeCompare(y.c));
  return [...new Set(scored.map((x) => x.c))].slice(0, max);
}

/** ` Did you mean Get-Queue?` / ` Did you mean -Identity or -Server?`, or '' when nothing is close. */
export function didYouMean(written: string, candidates: readonly string[], prefix = ''): string {
  const found = suggestNames(written, candidates);
  if (found.length === 0) return '';
  const names = found.map((n) => `${prefix}${n}`);
  return ` Did you mean ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}?`;
}
