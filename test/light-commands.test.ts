// The commands that only talk to a running lab must load no simulation, TLS, SMTP or certificate code: their start-up is
// what a user waits for at every `lab send` (issue 12, ≤ 150 ms). A merge once slipped a value import of src/sim back in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** Runtime (not type-only) imports of a module, as written. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
    if (m[2]) continue; // `import type …` / `export type …`
    const names = m[3].replace(/^[{\s]+|[}\s]+$/g, '');
    // `import { type A, type B } from …` is type-only too.
    if (names !== '' && names !== '*' && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    out.push(m[4]);
  }
  return out;
}

/** Every module reached from `entry` through runtime imports: project files by path, packages by name. */
function reach(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [path.resolve(root, entry)];
  while (todo.length) {
    const file = todo.pop()!;
    const key = path.relative(root, file);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) todo.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else seen.add(spec);
    }
  }
  return seen;
}

describe.each(['src/cli/lab-send-command.ts', 'src/cli/lab-mailbox-command.ts', 'src/cli/lab-down-command.ts'])('%s', (entry) => {
  it('loads no simulation, TLS, SMTP or certificate code', () => {
    const heavy = [...reach(entry)].filter((m) => /^src\/(sim|ca|orgs|peers|report)\//.test(m) || /^(smtp-server|nodemailer|@peculiar|pkijs|node-forge|yaml)/.test(m));
    expect(heavy).toEqual([]);
  });
});
