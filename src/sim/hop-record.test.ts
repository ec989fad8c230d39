import { describe, expect, it } from 'vitest';
import type { HopEvidence } from './evidence.js';
import { closeHop, HOPS_IN_MEMORY, openHop } from './hop-record.js';
import { Simulation } from './simulation.js';

const hop = (n: number) => ({ id: `hop-${n}` }) as HopEvidence;

describe('hops in memory', () => {
  it('keeps the latest hops, counts every one, and tells listeners of each hop once it is over', async () => {
    const sim = await Simulation.start({ seed: 'hops' });
    try {
      const ended: string[] = [];
      const off = sim.onHop((h) => ended.push(h.id));
      for (let i = 1; i <= 2000; i++) {
        openHop(sim.ctx, hop(i));
        if (i % 100 === 0) closeHop(sim.ctx, hop(i));
      }
      off();
      closeHop(sim.ctx, hop(2001));
      expect(sim.hopsRecorded).toBe(2000);
      expect(sim.evidence.length).toBeGreaterThanOrEqual(HOPS_IN_MEMORY);
      expect(sim.evidence.length).toBeLessThanOrEqual(HOPS_IN_MEMORY * 1.2);
      expect(sim.evidence.at(-1)?.id).toBe('hop-2000');
      expect(sim.hopsSince(1990).map((h) => h.id)).toEqual(Array.from({ length: 10 }, (_, i) => `hop-${1991 + i}`));
      expect(ended).toHaveLength(20);
    } finally {
      await sim.stop();
    }
  });
});
