// `domsec run --shard i/n`: one of n disjoint parts of the selection, for n CI runners; `domsec report merge` joins them.
import { createHash } from 'node:crypto';
import { DomsecError } from '../errors.js';

export interface Shard {
  /** 1-based, as on the command line and in CI matrices. */
  index: number;
  total: number;
}

export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) {
    throw new DomsecError('ERR_USAGE', `domsec run: --shard "${text}" is not a shard: give i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 runs the second of three parts.`);
  }
  return { index, total };
}

/** A scenario as cucumber plans it (IPlannedPickle). */
export interface PlannedScenario {
  name: string;
  uri: string;
  location: { line: number };
}

/**
 * The shard (1…total) a scenario belongs to: a hash of its feature file, its name and which of that file's scenarios
 * of that name it is (outline rows share a name). Not its position in the whole catalogue, so adding or removing
 * other scenarios never moves it to another runner; the line is left out so editing above it does not either.
 */
export function shardOf(key: string, total: number): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) % total) + 1;
}

/** The scenarios of the plan that shard `shard` runs, in the plan's order, each as `<uri>:<line>` for cucumber's paths. */
export function shardScenarios(plan: readonly PlannedScenario[], shard: Shard): PlannedScenario[] {
  const seen = new Map<string, number>();
  return plan.filter((p) => {
    const base = `${p.uri}\n${p.name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return shardOf(`${base}\n${n}`, shard.total) === shard.index;
  });
}
