// A small seeded fuzzer for the parsers this project wrote: deterministic inputs for a seed, a fixed number of runs
// (no outcome depends on machine speed), and a failure that prints the seed, the run and the input to replay it.

/** mulberry32: tiny, fast, good enough to spread inputs; the same seed gives the same inputs on every machine. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    let t = (this.#s += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** `n` characters drawn from `alphabet` (strings, so multi-character tokens mix in). */
  text(alphabet: readonly string[], n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
  /** Byte-level damage to a valid sample: inserts, deletions, duplicated slices (sometimes many times), swaps. */
  mutate(sample: string, alphabet: readonly string[], edits = 1 + this.int(4)): string {
    let s = sample;
    for (let e = 0; e < edits; e++) {
      const at = this.int(s.length + 1);
      switch (this.int(5)) {
        case 0: s = s.slice(0, at) + this.text(alphabet, 1 + this.int(4)) + s.slice(at); break;
        case 1: s = s.slice(0, at) + s.slice(at + 1 + this.int(8)); break;
        case 2: {
          const piece = s.slice(at, at + 1 + this.int(12));
          s = s.slice(0, at) + piece.repeat(this.chance(0.1) ? 200 + this.int(2000) : 2 + this.int(4)) + s.slice(at);
          break;
        }
        case 3: s = s.slice(0, at) + this.pick(alphabet) + s.slice(at + 1); break;
        default: {
          const b = this.int(s.length + 1);
          s = s.slice(0, Math.min(at, b)) + s.slice(Math.max(at, b)) + s.slice(Math.min(at, b), Math.max(at, b));
        }
      }
    }
    return s;
  }
}

/** FUZZ_SEED=n replays or explores another seed; the default is fixed so CI is repeatable. */
export function fuzzSeed(fallback: number): number {
  const env = process.env.FUZZ_SEED;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : fallback;
}

function show(input: unknown): string {
  const text = typeof input === 'string' ? JSON.stringify(input) : JSON.stringify(input, (_k, v) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length} chars)` : v));
  return text.length > 2000 ? `${text.slice(0, 2000)}…(${text.length} chars)` : text;
}

/** Runs `check` on `runs` generated inputs; the first failure names the seed, the run and the input. */
export async function fuzz<T>(o: { name: string; seed: number; runs: number; generate: (rng: Rng, run: number) => T; check: (input: T) => void | Promise<void> }): Promise<void> {
  const seed = fuzzSeed(o.seed);
  const rng = new Rng(seed);
  // FUZZ_SCALE=n runs n times as many inputs, for a longer search by hand; CI keeps the fixed count.
  const scale = /^\d+$/.test(process.env.FUZZ_SCALE ?? '') ? Number(process.env.FUZZ_SCALE) : 1;
  for (let run = 0; run < o.runs * scale; run++) {
    const input = o.generate(rng, run);
    try {
      await o.check(input);
    } catch (e) {
      const err = e as Error;
      throw new Error(`fuzz ${o.name}: run ${run} of FUZZ_SEED=${seed} failed: ${err?.name}: ${err?.message}\ninput: ${show(input)}`, { cause: e });
    }
  }
}
