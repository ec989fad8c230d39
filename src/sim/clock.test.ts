import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.js';

const START = new Date('2026-03-02T09:00:00Z');
const settle = () => Promise.resolve();

describe('VirtualClock', () => {
  it('fires timers in time order, same time in the order they were scheduled, and never a cancelled one', async () => {
    const c = new VirtualClock(START);
    const fired: string[] = [];
    c.after(300, () => fired.push('c'));
    c.after(100, () => fired.push('a1'));
    const gone = c.after(200, () => fired.push('cancelled'));
    c.after(100, () => fired.push('a2'));
    c.after(5000, () => fired.push('later'));
    gone.cancel();
    expect(c.nextAt()).toBe(START.getTime() + 100);
    await c.advanceTo(START.getTime() + 1000, settle);
    expect(fired).toEqual(['a1', 'a2', 'c']);
    expect(c.nowMs()).toBe(START.getTime() + 1000);
    expect(c.nextAt()).toBe(START.getTime() + 5000);
  });

  it('a timer scheduled by a firing one runs in the same advance when it falls due', async () => {
    const c = new VirtualClock(START);
    const fired: number[] = [];
    c.after(10, () => { fired.push(c.nowMs() - START.getTime()); c.after(10, () => fired.push(c.nowMs() - START.getTime())); });
    await c.advanceTo(START.getTime() + 100, settle);
    expect(fired).toEqual([10, 20]);
  });

  it('a long run of timers cancelled before they fall due leaves none behind', () => {
    const c = new VirtualClock(START);
    for (let i = 0; i < 10_000; i++) c.after(86_400_000 + i, () => undefined).cancel();
    const live = c.after(1, () => undefined);
    expect(c.pending).toBe(1);
    live.cancel();
    expect(c.nextAt()).toBeUndefined();
  });
});
