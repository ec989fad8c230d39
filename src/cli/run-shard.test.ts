// --shard i/n: every scenario in exactly one shard, and a scenario stays in its shard when others come and go.
import { describe, expect, it } from 'vitest';
import { type PlannedScenario, parseShard, shardScenarios } from './run-shard.js';

const plan = (n: number, file = 'features/a.feature'): PlannedScenario[] =>
  Array.from({ length: n }, (_, k) => ({ uri: file, name: `Scenario ${k}`, location: { line: 3 + 4 * k } }));

describe('--shard', () => {
  it('reads i/n and refuses anything else with ERR_USAGE', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard(undefined)).toBeUndefined();
    for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0', '-1/2']) {
      expect(() => parseShard(bad)).toThrow(expect.objectContaining({ code: 'ERR_USAGE', message: expect.stringContaining('i/n') }));
    }
  });

  it('splits the plan into disjoint shards that cover it, each in the plan order', () => {
    const all = [...plan(40), ...plan(20, 'features/b.feature')];
    const shards = [1, 2, 3].map((index) => shardScenarios(all, { index, total: 3 }));
    expect(shards.flat().length).toBe(all.length);
    expect(new Set(shards.flat()).size).toBe(all.length);
    for (const s of shards) {
      expect(s.length).toBeGreaterThan(5); // not all in one shard
      expect(s).toEqual(all.filter((p) => s.includes(p))); // plan order kept
    }
  });

  it('keeps a scenario in its shard when other scenarios are added or lines move', () => {
    const before = plan(30);
    const after = [{ uri: 'features/a.feature', name: 'A new one', location: { line: 1 } }, ...before.map((p) => ({ ...p, location: { line: p.location.line + 10 } })), ...plan(10, 'features/c.feature')];
    const key = (p: PlannedScenario) => `${p.uri} ${p.name}`;
    for (const index of [1, 2, 3]) {
      const was = shardScenarios(before, { index, total: 3 }).map(key);
      const is = new Set(shardScenarios(after, { index, total: 3 }).map(key));
      expect(was.every((k) => is.has(k))).toBe(true);
    }
  });

  it('tells outline rows of one name apart', () => {
    const rows = Array.from({ length: 12 }, (_, k) => ({ uri: 'features/o.feature', name: 'Same name', location: { line: 10 + k } }));
    const shards = [1, 2].map((index) => shardScenarios(rows, { index, total: 2 }));
    expect(shards[0].length + shards[1].length).toBe(12);
    expect(shards[0].length).toBeGreaterThan(0);
    expect(shards[1].length).toBeGreaterThan(0);
  });
});
