// CSV quoting for Exchange logs (DS-LOG-02): values with commas, quotes or line breaks are quoted.

// Made once: every protocol-log line tests nine fields, ~80 lines per relayed message.
const SPECIAL = /[",\r\n]/;

export function csvField(v: string | number | undefined): string {
  const s = v === undefined ? '' : typeof v === 'string' ? v : String(v);
  return SPECIAL.test(s) ? `"${s.replace(/"/g, '""').replace(/\r?\n/g, ' ')}"` : s;
}

export function csvLine(values: (string | number | undefined)[]): string {
  return values.map(csvField).join(',');
}
