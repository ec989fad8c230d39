// Lab files: which documented lab to start, its seed and the messages `domsec lab` sends (YAML or JSON, see docs/cli.md).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DomsecError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { ADDRESS } from './lab-client.js';
import { type Lab, LAB_NAMES, parseLabDefinition, type LabDefinition, type SimulationOptions, startDefinedLab, startLab } from '../sim/index.js';

export interface LabMessage {
  from: string;
  to: string[];
  subject?: string;
  body?: string;
}

export interface LabSpec {
  lab: string;
  seed?: string;
  /** Sent by `domsec lab`; when absent, the lab's own probes (one message each way). */
  messages?: LabMessage[];
  /** Where the spec came from, for messages. */
  source: string;
  /** A declarative lab (docs/lab-file.md): its own organizations instead of a documented lab. */
  definition?: LabDefinition;
}

/** Starts what the spec names: its declarative organizations, or the documented lab. */
export function startLabSpec(spec: LabSpec, o: SimulationOptions): Promise<Lab> {
  return spec.definition ? startDefinedLab(spec.definition, o) : startLab(spec.lab, o);
}

export const DEFAULT_LAB = 'adatum-treyresearch';

function bad(source: string, sentence: string): DomsecError {
  return new DomsecError('ERR_LAB_FILE', `${source}: ${sentence} A lab file has "lab" (${LAB_NAMES.join(' or ')}), optional "seed" and optional "messages" [{from, to, subject, body}].`, { source });
}

function toList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v.split(/[,;]\s*/).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  return undefined;
}

export function parseLabSpec(value: unknown, source: string): LabSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(source, 'the file must hold a mapping.');
  const v = value as Record<string, unknown>;
  if ('organizations' in v) {
    const definition = parseLabDefinition(v, source);
    const messages = definition.messages?.map((m) => ({ from: m.from, to: toList(m.to) ?? [], ...(m.subject ? { subject: m.subject } : {}), ...(m.body ? { body: m.body } : {}) }));
    return { lab: definition.name, ...(definition.seed ? { seed: definition.seed } : {}), ...(messages ? { messages } : {}), source, definition };
  }
  const unknown = Object.keys(v).filter((k) => !['lab', 'seed', 'messages'].includes(k));
  if (unknown.length > 0) throw bad(source, `unknown key(s) ${unknown.join(', ')}.`);
  const lab = v.lab ?? DEFAULT_LAB;
  if (typeof lab !== 'string' || !LAB_NAMES.includes(lab as (typeof LAB_NAMES)[number])) throw bad(source, `"lab: ${String(lab)}" is not a documented lab.`);
  if (v.seed !== undefined && typeof v.seed !== 'string' && typeof v.seed !== 'number') throw bad(source, '"seed" must be a string.');
  let messages: LabMessage[] | undefined;
  if (v.messages !== undefined) {
    if (!Array.isArray(v.messages)) throw bad(source, '"messages" must be a list.');
    messages = v.messages.map((m, i) => {
      const r = (m ?? {}) as Record<string, unknown>;
      const to = toList(r.to);
      if (typeof r.from !== 'string' || !ADDRESS.test(r.from)) throw bad(source, `message ${i + 1} needs "from" as an e-mail address.`);
      if (!to || to.length === 0 || !to.every((a) => ADDRESS.test(a))) throw bad(source, `message ${i + 1} needs "to" as one or more e-mail addresses.`);
      return { from: r.from, to, ...(typeof r.subject === 'string' ? { subject: r.subject } : {}), ...(typeof r.body === 'string' ? { body: r.body } : {}) };
    });
  }
  return { lab, ...(v.seed !== undefined ? { seed: String(v.seed) } : {}), ...(messages ? { messages } : {}), source };
}

/** The positional argument: a lab name, a lab file, or nothing (the default lab). */
export function resolveLab(arg: string | undefined, cwd: string): LabSpec {
  if (arg === undefined) return { lab: DEFAULT_LAB, source: 'default' };
  if (LAB_NAMES.includes(arg as (typeof LAB_NAMES)[number])) return { lab: arg, source: arg };
  const file = resolve(cwd, arg);
  if (!existsSync(file)) throw new DomsecError('ERR_LAB_FILE', `"${arg}" is neither a lab file nor a documented lab (${LAB_NAMES.join(', ')}).${didYouMean(arg, LAB_NAMES)}`, { arg });
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8')); // YAML is a superset of JSON: one parser reads both
  } catch (e) {
    throw bad(arg, `it could not be parsed (${(e as Error).message.split('\n')[0]}).`);
  }
  return parseLabSpec(value, arg);
}

export { isAddress } from './lab-client.js';
