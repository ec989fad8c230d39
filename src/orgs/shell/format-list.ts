// Owns Format-List output: `Name : Value` per property with the colons aligned, objects separated by a blank line.
import type { ShellObject } from './cmdlet.js';
import { displayValue } from './display-value.js';

export function formatList(objects: ShellObject[]): string {
  return objects.map((o) => {
    const names = Object.keys(o.props);
    const width = Math.max(0, ...names.map((n) => n.length));
    return names.map((n) => `${n.padEnd(width)} : ${displayValue(o.props[n])}`.trimEnd()).join('\n');
  }).join('\n\n');
}
