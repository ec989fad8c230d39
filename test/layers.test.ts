// Layers import downward only (STYLE rule 1): features, cli, report → peers → sim → orgs → ca; src/errors.ts, src/suggest.ts and src/rules (the DS rule catalogue) sit below all.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const RANK: Record<string, number> = { errors: 0, rules: 0, ca: 1, orgs: 2, sim: 3, peers: 4, report: 5, cli: 5, features: 6 };

function layerOf(file: string): string | undefined {
  const rel = path.relative(process.cwd(), file).split(path.sep);
  if (rel[0] === 'features') return 'features';
  if (rel[0] !== 'src') return undefined;
  return rel[1] === 'errors.ts' || rel[1] === 'suggest.ts' ? 'errors' : rel[1];
}

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) yield p;
  }
}

describe('layering', () => {
  it('no module imports a layer above its own', () => {
    const violations: string[] = [];
    for (const file of [...tsFiles('src'), ...tsFiles('features')]) {
      const from = layerOf(file);
      if (!from) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
        const to = layerOf(path.resolve(path.dirname(file), m[1]));
        if (to && from !== to && RANK[to] >= RANK[from] && !(from === 'cli' && to === 'report') && !(from === 'report' && to === 'cli')) {
          violations.push(`${file} (${from}) imports ${m[1]} (${to})`);
        }
        if (to && (from === 'report' && to === 'cli')) violations.push(`${file} (report) imports ${m[1]} (cli)`);
      }
    }
    expect(violations).toEqual([]);
  });
});
