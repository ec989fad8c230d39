// Lab files: which documented lab to start, its seed and the messages `domsec lab` sends (YAML or JSON, see docs/cli.md).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DomsecError } from '../errors.js';
import { adapterSpecProblem } from '../peers/adapter-spec.js';
import { didYouMean } from '../suggest.js';
import {
  checkSchema, type Lab, LAB_LIMITS, LAB_NAMES, MESSAGE_SCHEMA, ownStrings, parseLabDefinition, type LabDefinition, type Schema, type SimulationOptions, startDefinedLab, startLab,
} from '../sim/index.js';

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

/**
 * Starts what the spec names: its declarative organizations, or the documented lab. A lab file's container image
 * (external.image) is lab up's to start, which takes it out of the spec first (external-image.ts); elsewhere it is an error.
 */
export async function startLabSpec(spec: LabSpec, o: SimulationOptions): Promise<Lab> {
  const i = spec.definition?.organizations.findIndex((x) => x.external?.image !== undefined) ?? -1;
  if (i >= 0) {
    const x = spec.definition!.organizations[i];
    throw new DomsecError('ERR_USAGE', `${spec.source}: organizations[${i}].external.image: only "domsec lab up" starts a container image (${x.external!.image} for ${x.domain}); start the lab with lab up, or give the host and port of an MTA that runs.`, { source: spec.source });
  }
  return spec.definition ? startDefinedLab(spec.definition, o) : startLab(spec.lab, o);
}

export const DEFAULT_LAB = 'adatum-treyresearch';

function bad(source: string, sentence: string): DomsecError {
  return new DomsecError('ERR_LAB_FILE', `${source}: ${sentence} A lab file has "lab" (${LAB_NAMES.join(' or ')}), optional "seed" and optional "messages" [{from, to, subject, body}], or "organizations" (docs/lab-file.md).`, { source });
}

function toList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v.split(/[,;]\s*/).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  return undefined;
}

/** A documented lab by name, its seed and the messages `domsec lab` sends. */
const DOCUMENTED_LAB_SCHEMA: Schema = { kind: 'object', fields: {
  lab: { schema: { kind: 'enum', values: LAB_NAMES } }, seed: { schema: { kind: 'scalar' } },
  messages: { schema: { kind: 'list', of: MESSAGE_SCHEMA, max: LAB_LIMITS.messages } },
} };

/** Adapter SPECs are checked here, where their forms are known (src/peers); the simulation only carries them. */
function checkAdapters(def: LabDefinition, source: string): void {
  const check = (spec: string | undefined, where: string) => {
    const problem = spec === undefined ? undefined : adapterSpecProblem(spec);
    if (problem) throw new DomsecError('ERR_LAB_FILE', `${source}: ${where}: ${problem}; give manual, cmd:PATH [ARGS] or http://HOST:PORT/BASE (docs/adapter-contract.md).`, { source, where });
  };
  def.organizations.forEach((o, i) => {
    check(o.external?.adapter, `organizations[${i}].external.adapter`);
    o.edges.forEach((e, j) => check(e.external?.adapter, `organizations[${i}].edges[${j}].external.adapter`));
  });
}

export function parseLabSpec(value: unknown, source: string): LabSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(source, 'the file must hold a mapping.');
  const v = value as Record<string, unknown>;
  const messagesOf = (ms: { from: string; to: string[] | string; subject?: string; body?: string }[] | undefined): LabMessage[] | undefined =>
    ms?.map((m) => ({ from: m.from, to: toList(m.to) ?? [], ...(m.subject !== undefined ? { subject: m.subject } : {}), ...(m.body !== undefined ? { body: m.body } : {}) }));
  if ('organizations' in v) {
    const definition = parseLabDefinition(v, source);
    checkAdapters(definition, source);
    const messages = messagesOf(definition.messages);
    return { lab: definition.name, ...(definition.seed ? { seed: definition.seed } : {}), ...(messages ? { messages } : {}), source, definition };
  }
  checkSchema(v, DOCUMENTED_LAB_SCHEMA, '', (where, sentence) => new DomsecError('ERR_LAB_FILE', `${source}: ${where}: ${sentence} See docs/lab-file.md.`, { source, where }));
  const messages = messagesOf(v.messages as Parameters<typeof messagesOf>[0]);
  return { lab: (v.lab as string | undefined) ?? DEFAULT_LAB, ...(v.seed !== undefined ? { seed: String(v.seed) } : {}), ...(messages ? { messages } : {}), source };
}

/**
 * A lab file is a few kB (a 100-organization full mesh with a connector per partner ~3 MB); the caps stop a crafted one
 * (YAML aliases, deep nesting) from stalling the loader.
 */
export const LAB_FILE_LIMITS = { bytes: 4 * 1024 * 1024, maxAliasCount: 50, depth: 24 } as const;

function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > LAB_FILE_LIMITS.depth) return max;
    for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

/**
 * The deepest nesting of flow collections ([…], {…}) outside quoted scalars and comments, found in one pass before
 * YAML parses anything: 20,000 '[' took the parser over a second to refuse (lab-file.fuzz.test.ts).
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === '"') { if (c === '\\') i++; else if (c === '"') quote = undefined; continue; }
    if (quote === "'") { if (c === "'") quote = undefined; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) { const nl = text.indexOf('\n', i); if (nl < 0) break; i = nl; }
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Parses lab file text (YAML or JSON) within LAB_FILE_LIMITS; every problem is ERR_LAB_FILE naming the file. */
export function parseLabText(text: string, source: string): LabSpec {
  if (Buffer.byteLength(text, 'utf8') > LAB_FILE_LIMITS.bytes) throw bad(source, `it is larger than ${LAB_FILE_LIMITS.bytes / 1024 / 1024} MiB.`);
  if (flowDepth(text) > LAB_FILE_LIMITS.depth) throw bad(source, `it nests deeper than ${LAB_FILE_LIMITS.depth} levels.`);
  let value: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both. Aliases are capped so a small file cannot expand into a huge one.
    value = parseYaml(text, { maxAliasCount: LAB_FILE_LIMITS.maxAliasCount, uniqueKeys: true, merge: false });
  } catch (e) {
    throw bad(source, `it could not be parsed (${String((e as Error)?.message ?? e).split('\n')[0]}).`);
  }
  if (depthOf(value) > LAB_FILE_LIMITS.depth) throw bad(source, `it nests deeper than ${LAB_FILE_LIMITS.depth} levels.`);
  return parseLabSpec(ownStrings(value), source);
}

/** The positional argument: a lab name, a lab file, or nothing (the default lab). */
export function resolveLab(arg: string | undefined, cwd: string): LabSpec {
  if (arg === undefined) return { lab: DEFAULT_LAB, source: 'default' };
  if (LAB_NAMES.includes(arg as (typeof LAB_NAMES)[number])) return { lab: arg, source: arg };
  const file = resolve(cwd, arg);
  if (!existsSync(file) || !statSync(file).isFile()) throw new DomsecError('ERR_LAB_FILE', `"${arg}" is neither a lab file nor a documented lab (${LAB_NAMES.join(', ')}).${didYouMean(arg, LAB_NAMES)}`, { arg });
  if (statSync(file).size > LAB_FILE_LIMITS.bytes) throw bad(arg, `it is larger than ${LAB_FILE_LIMITS.bytes / 1024 / 1024} MiB.`);
  return parseLabText(readFileSync(file, 'utf8'), arg);
}

export { isAddress } from './lab-client.js';
