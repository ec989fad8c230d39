// Owns PowerShell wildcards (`*`, `?`, `[a-z]`) as Format-List/Format-Table properties and Get-Command patterns use them.

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** A case-insensitive, whole-string matcher for a PowerShell -like pattern. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end > i + 1) {
        re += `[${pattern.slice(i + 1, end).replace(/[\\^]/g, '\\$&')}]`;
        i = end;
      } else re += '\\[';
    } else re += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`, 'i');
  return (value) => compiled.test(value);
}

/**
 * The properties `| fl Name,*Domain*` shows, in order: a plain name as written (spelled as the object spells it,
 * case-insensitively), a wildcard as every property it matches in the object's own order; each property once.
 */
export function expandProperties(patterns: readonly string[], available: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (hasWildcard(p)) {
      const match = wildcardMatcher(p);
      out.push(...available.filter(match));
    } else out.push(available.find((a) => a.toLowerCase() === p.toLowerCase()) ?? p);
  }
  return [...new Set(out)];
}
