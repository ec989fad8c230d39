// native-match-indices.cjs: the `d` flag gives the group positions the regexp-match-indices polyfill computes, and a
// process that loads it first has cucumber-expressions use it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SHIM = fileURLToPath(new URL('./native-match-indices.cjs', import.meta.url));
const { execWithIndices } = require(SHIM) as { execWithIndices: (re: RegExp, s: string) => RegExpExecArray | null };
const polyfill = require('regexp-match-indices/implementation') as { call(re: RegExp, s: string): RegExpExecArray | null };

/** What a caller reads of a match: the groups, their positions, named ones, and where lastIndex went. */
function seen(exec: (re: RegExp, s: string) => RegExpExecArray | null, source: RegExp, s: string) {
  const re = new RegExp(source); // each side its own regexp: lastIndex is state
  const out = [];
  for (let i = 0; i < 3; i++) {
    const m = exec(re, s);
    out.push(m && { groups: [...m], index: m.index, indices: [...m.indices!], named: m.groups && { ...m.groups }, namedIndices: m.indices!.groups && { ...m.indices!.groups } }, re.lastIndex);
  }
  return out;
}

describe('native-match-indices', () => {
  const cases: [RegExp, string][] = [
    [/^I have (\d+) cukes? in my "([^"]*)" belly$/, 'I have 42 cukes in my "big" belly'],
    [/^a (b)?(c)$/, 'a c'], // a group that did not take part
    [/^((a)(b(c)?))$/, 'abc'], // nested
    [/(?<org>[a-z]+)\.(?<tld>com|net)/, 'mail for adatum.com and treyresearch.net'],
    [/x(?=y)(y)/, 'xxy'],
    [/(\d)/g, 'a1b2'], // lastIndex moves, then wraps
    [/(\d)/y, '12a'], // sticky
    [/(\u{1F600})(.)/u, 'smile 😀!'],
    [/^no match here (x)$/, 'something else'],
  ];
  it.each(cases)('%s matches as the polyfill does', (re, s) => {
    expect(seen(execWithIndices, re, s)).toEqual(seen((r, t) => polyfill.call(r, t), re, s));
  });

  // Where the two differ the polyfill is wrong: for a repeated group it gives the first repetition's position with
  // the last repetition's value. Step arguments' values come from the groups, so only their reported positions change.
  it('a repeated group: the position of the value the group holds, as the spec says (the polyfill gives another)', () => {
    const s = 'ababc';
    const m = execWithIndices(/^((a)(b(c)?))+$/, s)!;
    expect([...m]).toEqual(['ababc', 'abc', 'a', 'bc', 'c']);
    expect(m.indices!.map((pair) => s.slice(pair![0], pair![1]))).toEqual([...m]);
    expect(polyfill.call(/^((a)(b(c)?))+$/, s)!.indices![1]).toEqual([0, 3]); // 'aba', not the group's 'abc'
  });

  it('a process that loads it before cucumber gets its step arguments from it, the same ones', () => {
    const script = `
      const { CucumberExpression, ParameterTypeRegistry } = require('@cucumber/cucumber-expressions');
      const file = require('node:module').createRequire(require.resolve('@cucumber/cucumber-expressions')).resolve('regexp-match-indices');
      const e = new CucumberExpression('the edge of {word} sends {string} to {int} partner(s)', new ParameterTypeRegistry());
      const args = e.match('the edge of adatum.com sends "hi there" to 3 partners').map((a) => [a.group.start, a.group.end, a.getValue()]);
      console.log(JSON.stringify({ native: require.cache[file].exports === require(${JSON.stringify(SHIM)}).execWithIndices, args }));`;
    const run = (preload: string[]) => JSON.parse(spawnSync(process.execPath, [...preload, '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../../', import.meta.url)) }).stdout) as { native: boolean; args: unknown };
    const withShim = run(['--require', SHIM]);
    const without = run([]);
    expect(withShim.native).toBe(true);
    expect(without.native).toBe(false);
    expect(withShim.args).toEqual([[12, 22, 'adatum.com'], [29, 39, 'hi there'], [43, 44, 3]]);
    expect(withShim.args).toEqual(without.args);
  });
});
