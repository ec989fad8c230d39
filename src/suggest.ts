// "Did you mean …?" for near-miss names (commands, options, cmdlets, parameters): below every layer so each can import it.

/**
 * Optimal string alignment distance (Levenshtein plus swapping two neighbours), case-insensitive:
 * `rnu` → `run` is one edit, as a typist would count it.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/**
 * The closest candidates to `input` if close enough to be what was meant (ties keep the candidates' order).
 * Close enough: at most a third of the longer name's letters differ (at least one edit allowed), or one is a prefix
 * of the other (`--prof` for `--profile`). Nothing is suggested for an exact match or for an empty input.
 */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  if (input === '') return [];
  const lower = input.toLowerCase();
  const scored = candidates
    .filter((c) => c.toLowerCase() !== lower)
    .map((c, i) => {
      const distance = editDistance(input, c);
      const prefix = c.toLowerCase().startsWith(lower) && lower.length >= 3;
      return { c, i, distance: prefix ? Math.min(distance, 1) : distance, limit: Math.max(1, Math.floor(Math.max(input.length, c.length) / 3)) };
    })
    .filter((x) => x.distance <= x.limit)
    .sort((x, y) => x.distance - y.distance || x.i - y.i);
  // Only the closest: "@DS-RECV-4" means @DS-RECV-04, not every DS-RECV rule two edits away.
  return [...new Set(scored.filter((x) => x.distance === scored[0].distance).map((x) => x.c))].slice(0, max);
}

/** ` Did you mean "run"?` / ` Did you mean "--tags" or "--name"?`, or '' when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  if (s.length === 0) return '';
  const quoted = s.map((x) => `"${x}"`);
  return ` Did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`}?`;
}
