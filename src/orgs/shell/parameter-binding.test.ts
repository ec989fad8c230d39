import { describe, expect, it } from 'vitest';
import type { Cmdlet } from './cmdlet.js';
import { bindArguments, type BoundElement, resolveParameter } from './parameter-binding.js';
import { type Arg, T } from './parameter-types.js';

const cmdlet: Cmdlet = {
  name: 'Test-Cmdlet',
  params: [
    { name: 'Identity', type: T.string, position: 0, mandatory: true, fromPipeline: 'Identity' },
    { name: 'Enabled', type: T.bool },
    { name: 'Force', type: T.switch },
    { name: 'Size', type: T.int(1, 10) },
    { name: 'Level', type: T.enum('Level', ['None', 'Verbose']) },
  ],
  run: () => [],
};
const text = (t: string): BoundElement => ({ kind: 'value', value: { kind: 'text', text: t, quoted: false } });
const param = (name: string, value?: Arg): BoundElement => ({ kind: 'param', name, colon: value !== undefined, value });

describe('bindArguments', () => {
  it('binds named, colon-form and positional arguments with their types', () => {
    expect(bindArguments(cmdlet, [text('X'), param('enabled', { kind: 'bool', value: true }), param('Force'), param('Size'), text('3'), param('level'), text('verbose')]))
      .toEqual({ Identity: 'X', Enabled: true, Force: true, Size: 3, Level: 'Verbose' });
  });

  it('a switch takes no following value; -Force:$false turns it off', () => {
    expect(bindArguments(cmdlet, [param('Force', { kind: 'bool', value: false }), text('X')])).toEqual({ Force: false, Identity: 'X' });
  });

  it('takes Identity from a piped object when it is not on the line', () => {
    expect(bindArguments(cmdlet, [], { type: 't', props: { Identity: 'Piped' } })).toEqual({ Identity: 'Piped' });
    expect(bindArguments(cmdlet, [], undefined, { deferMandatory: true })).toEqual({});
  });

  it('refuses out-of-range ints and unknown, ambiguous or missing parameters', () => {
    expect(() => bindArguments(cmdlet, [text('X'), param('Size'), text('11')])).toThrow("Cannot validate argument on parameter 'Size'. The 11 argument is greater than the maximum allowed range of 10.");
    expect(() => resolveParameter(cmdlet, 'Nope')).toThrow("A parameter cannot be found that matches parameter name 'Nope'.");
    expect(resolveParameter(cmdlet, 'Ident').name).toBe('Identity');
    expect(() => bindArguments(cmdlet, [param('Enabled')])).toThrow("Missing an argument for parameter 'Enabled'. Specify a parameter of type 'System.Boolean' and try again.");
    expect(() => bindArguments(cmdlet, [])).toThrow('missing mandatory parameters: Identity.');
  });
});
