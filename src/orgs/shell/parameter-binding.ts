// Owns parameter binding: named, colon-form and positional arguments onto a cmdlet's typed parameters, PowerShell's way.
import type { Cmdlet, ParamSpec, ShellObject } from './cmdlet.js';
import { type Arg, argText, convert, typeName } from './parameter-types.js';
import { bindingErrors } from './ps-error.js';
import { didYouMean } from './suggest-name.js';

export type BoundElement =
  | { kind: 'param'; name: string; colon: boolean; value?: Arg }
  | { kind: 'value'; value: Arg };

/** Exact name or alias first, then a unique prefix (PowerShell accepts -DomainSecure for -DomainSecureEnabled). */
export function resolveParameter(cmdlet: Cmdlet, written: string): ParamSpec {
  const w = written.toLowerCase();
  const exact = cmdlet.params.find((p) => p.name.toLowerCase() === w || p.aliases?.some((a) => a.toLowerCase() === w));
  if (exact) return exact;
  const prefixed = cmdlet.params.filter((p) => p.name.toLowerCase().startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) throw bindingErrors.ambiguousParameter(written, prefixed.map((p) => p.name));
  throw bindingErrors.unknownParameter(written, didYouMean(written, cmdlet.params.flatMap((p) => [p.name, ...(p.aliases ?? [])]), '-').trim());
}

/** Binds everything or throws before anything runs, so a bad line never reaches the model. */
export function bindArguments(cmdlet: Cmdlet, elements: BoundElement[], input?: ShellObject, o: { deferMandatory?: boolean } = {}): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  const positional: Arg[] = [];
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (e.kind === 'value') { positional.push(e.value); continue; }
    const spec = resolveParameter(cmdlet, e.name);
    if (spec.name in bound) throw bindingErrors.duplicate(spec.name);
    if (spec.type.t === 'switch') {
      bound[spec.name] = e.value === undefined ? true : convert(spec.name, spec.type, e.value);
      continue;
    }
    let value = e.value;
    if (value === undefined) {
      const n = elements[i + 1];
      if (!n || n.kind !== 'value') throw bindingErrors.missingArgument(spec.name, typeName(spec.type));
      value = n.value;
      i++;
    }
    bound[spec.name] = convert(spec.name, spec.type, value);
  }
  const slots = cmdlet.params.filter((p) => p.position !== undefined && !(p.name in bound)).sort((a, b) => a.position! - b.position!);
  for (const arg of positional) {
    const slot = slots.shift();
    if (!slot) throw bindingErrors.positional(argText(arg));
    bound[slot.name] = convert(slot.name, slot.type, arg);
  }
  if (input) {
    for (const p of cmdlet.params) {
      const v = p.fromPipeline ? input.props[p.fromPipeline] : undefined;
      if (!(p.name in bound) && typeof v === 'string') bound[p.name] = convert(p.name, p.type, { kind: 'text', text: v, quoted: true });
    }
  }
  const missing = cmdlet.params.filter((p) => p.mandatory && (!(p.name in bound) || bound[p.name] === null)).map((p) => p.name);
  // A later pipeline command gets its mandatory values from the piped objects, so its check waits for them.
  if (missing.length > 0 && !o.deferMandatory) throw bindingErrors.missingMandatory(missing);
  return bound;
}
