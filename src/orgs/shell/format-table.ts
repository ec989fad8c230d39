// Owns Format-Table output: a header, a dashed underline, one row per object; columns as wide as their widest cell.
import type { ShellObject } from './cmdlet.js';
import { displayValue } from './display-value.js';

/** `columns` defaults to the first object's table view, else its first few properties (as PowerShell picks). */
export function formatTable(objects: ShellObject[], columns?: string[]): string {
  if (objects.length === 0) return '';
  const cols = columns ?? objects[0].table ?? Object.keys(objects[0].props).slice(0, 4);
  const cells = objects.map((o) => cols.map((c) => displayValue(o.tableValues && c in o.tableValues ? o.tableValues[c] : o.props[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]))).join(' ').trimEnd();
  return [line(cols), line(cols.map((c) => '-'.repeat(c.length))), ...cells.map(line)].join('\n');
}
