// Parsed YAML with strings of its own, stored one byte a character whenever they can be.

/**
 * YAML slices its scalars out of the file's text, and a text with one character beyond Latin-1 (the documented labs'
 * '↔') is stored two bytes a character: so was every FQDN, domain and connector name read from it, and every header,
 * log line and tracking entry built from them for the lab's whole life (a message delivered in a long-running `lab up`
 * took twice its size). A string copied through JSON is stored one byte a character when it can be.
 */
export function ownStrings(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(JSON.stringify(value)) as string;
  if (Array.isArray(value)) return value.map(ownStrings);
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines each key as data, so a key named __proto__ stays a key (and the schema check refuses it).
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ownStrings(v)]));
}

/**
 * A copy of `s` that keeps no other string alive. V8 cuts a substring of 13 or more characters out of its parent as a
 * slice that holds the whole parent: a message id or subject read from a message's headers kept the message's full
 * text alive for as long as a tracking entry or a mailbox copy held the id (~1 kB per message in a long-running lab).
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
