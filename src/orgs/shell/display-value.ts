// Owns how one property value is written by Format-List and Format-Table: True/False, {a, b} lists (DS-CONF-08), Exchange dates.
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof Date) return formatDate(v);
  if (Array.isArray(v)) return `{${v.map(displayValue).join(', ')}}`;
  if (v instanceof Set) return displayValue([...v]);
  return String(v);
}

/** en-US general date as EMS prints it (M/d/yyyy h:mm:ss tt), in UTC so output is the same on every machine. */
export function formatDate(d: Date): string {
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** EnhancedTimeSpan: [d.]hh:mm:ss. */
export function formatTimeSpan(ms: number): string {
  const total = Math.round(ms / 1000);
  const d = Math.floor(total / 86400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor((total % 86400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return d > 0 ? `${d}.${hms}` : hms;
}

/** ByteQuantifiedSize: `35 MB (36,700,160 bytes)`. */
export function formatByteSize(bytes: number): string {
  const units: [string, number][] = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]];
  const [unit, size] = units.find(([, s]) => bytes >= s) ?? ['B', 1];
  const n = Math.round((bytes / size) * 100) / 100;
  return `${n} ${unit} (${bytes.toLocaleString('en-US')} bytes)`;
}
