// Assertions for steps that print expected vs actual, the form the report parses.
export function expectEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}\nexpected: ${e}\nactual: ${a}`);
}

export function expectContains(haystack: string, needle: string, what: string): void {
  if (!haystack.includes(needle)) throw new Error(`${what}\nexpected: to contain ${JSON.stringify(needle)}\nactual: ${haystack.length > 1500 ? haystack.slice(0, 1500) + '…' : haystack}`);
}

export function expectMatch(actual: string | undefined, re: RegExp, what: string): void {
  if (actual === undefined || !re.test(actual)) throw new Error(`${what}\nexpected: to match ${re}\nactual: ${JSON.stringify(actual)}`);
}

export function expectNotContains(haystack: string, needle: string, what: string): void {
  if (haystack.includes(needle)) throw new Error(`${what}\nexpected: not to contain ${JSON.stringify(needle)}\nactual: ${haystack.length > 1500 ? haystack.slice(0, 1500) + '…' : haystack}`);
}

/**
 * Compares an object's fields with a Gherkin table of `Field | value` rows (Get-Queue names: `NextRetryTime` → nextRetryTime);
 * a row `Field contains | text` checks a substring. A missing field reads as the empty string.
 */
export function expectFields(obj: object, rows: Record<string, string>, what: string): void {
  const o = obj as Record<string, unknown>;
  for (const [field, want] of Object.entries(rows)) {
    const [name, op] = field.split(' ');
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    const actual = o[key] === undefined ? '' : String(o[key]);
    if (op === 'contains') expectContains(actual, want, `${name} of ${what}`);
    else expectEqual(actual, want, `${name} of ${what}`);
  }
}
