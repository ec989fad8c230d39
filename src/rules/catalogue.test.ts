// The DS rule catalogue: complete entries, known sources, statements in the project's own words (not BEHAVIOUR.md's).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSource, findRule, RULES, ruleLabel, ruleSection, ruleWithStatement } from './catalogue.js';

const SHARED = path.resolve(process.env.DOMSEC_BEHAVIOUR ?? path.join('..', 'shared', 'BEHAVIOUR.md'));

function words(s: string): string[] {
  return s.toLowerCase().replace(/[`*"'().,;:]/g, ' ').split(/\s+/).filter(Boolean);
}

/** Longest run of consecutive words the two texts share. */
function sharedRun(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let best = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      let k = 0;
      while (i + k < x.length && j + k < y.length && x[i + k] === y[j + k]) k++;
      best = Math.max(best, k);
    }
  }
  return best;
}

describe('rule catalogue', () => {
  it('gives every rule a title, a statement, what is observable and at least one known source', () => {
    expect(RULES.length).toBeGreaterThan(40);
    for (const r of RULES) {
      expect(r.id).toMatch(/^DS-(CONF|CERT|RECV|SEND|QUEUE|LOG)-\d\d$/);
      expect(r.title.length, r.id).toBeGreaterThan(5);
      expect(r.statement.length, r.id).toBeGreaterThan(40);
      expect(r.observable.length, r.id).toBeGreaterThan(10);
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const s of r.sources) expect(s.seed, r.id).toMatch(/^(00[0-4]|public|model)$/);
      expect(ruleSection(r.id), r.id).toBeDefined();
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it('finds a rule case-insensitively and labels unknown IDs as they are', () => {
    expect(findRule('ds-recv-04')?.title).toBe('Listed sender with TLS but no client certificate');
    expect(findRule('DS-RECV-99')).toBeUndefined();
    expect(ruleLabel('DS-RECV-04')).toBe('DS-RECV-04 Listed sender with TLS but no client certificate');
    expect(ruleLabel('(untagged)')).toBe('(untagged)');
    expect(ruleWithStatement('DS-RECV-01')).toMatch(/^DS-RECV-01 \(Receive connector has domain security off\): When the sender's domain/);
    expect(describeSource({ seed: '004', section: 'Test mail flow' })).toBe('seed 004 (TechNet: How to Configure Mutual TLS for Domain Security (Exchange 2007, Contoso / Woodgrove Bank)): Test mail flow');
  });

  it.skipIf(!existsSync(SHARED))('words each statement itself: no run of 10 words copied from the shared BEHAVIOUR.md row', () => {
    const text = readFileSync(SHARED, 'utf8');
    const copied = RULES.map((r) => {
      const row = text.split('\n').find((l) => l.startsWith(`| ${r.id} |`) || l.startsWith(`${r.id}:`)) ?? '';
      return { id: r.id, run: sharedRun(r.statement, row) };
    }).filter((x) => x.run >= 10);
    expect(copied).toEqual([]);
  });
});
