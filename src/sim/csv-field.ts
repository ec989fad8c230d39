// CSV quoting for Exchange logs (DS-LOG-02): values with commas, quotes or line breaks are quoted.
export function csvField(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""').replace(/\r?\n/g, ' ')}"` : s;
}

export function csvLine(values: (string | number | undefined)[]): string {
  return values.map(csvField).join(',');
}
