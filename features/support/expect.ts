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
