// The near-miss finder behind every "Did you mean …?": distances as a typist counts them, and no wild guesses.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from './suggest.js';

describe('editDistance', () => {
  it.each([
    ['run', 'run', 0], ['rnu', 'run', 1], ['rn', 'run', 1], ['runn', 'run', 1], ['RUN', 'run', 0],
    ['doctr', 'doctor', 1], ['kitten', 'sitting', 3], ['', 'lab', 3], ['ab', 'ba', 1],
  ])('%s → %s is %i', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
    expect(editDistance(b, a)).toBe(n);
  });
});

describe('suggest', () => {
  const commands = ['run', 'lab', 'lab up', 'lab send', 'lab down', 'lab status', 'doctor', 'shell', 'help'];
  it('finds the command a typo meant, closest first', () => {
    expect(suggest('rnu', commands)).toEqual(['run']);
    expect(suggest('doctr', commands)).toEqual(['doctor']);
    expect(suggest('shel', commands)).toEqual(['shell']);
    expect(suggest('lab stat', commands)).toEqual(['lab status']);
  });
  it('takes a prefix of three letters or more as a near miss', () => {
    expect(suggest('--prof', ['--profile', '--seed', '--out'])).toEqual(['--profile']);
  });
  it('suggests nothing far off, nothing for an exact match, nothing for an empty input', () => {
    expect(suggest('frobnicate', commands)).toEqual([]);
    expect(suggest('run', ['run'])).toEqual([]);
    expect(suggest('', commands)).toEqual([]);
  });
  it('phrases one or several suggestions as a sentence', () => {
    expect(didYouMean('rnu', commands)).toBe(' Did you mean "run"?');
    expect(didYouMean('--sed', ['--seed', '--set', '--out'])).toBe(' Did you mean "--seed" or "--set"?');
    expect(didYouMean('zzzzzz', commands)).toBe('');
  });
});
