// Owns the management shell: runs EMS command lines (pipelines, variables, formatting) against one organization.
import { DomsecError } from '../../errors.js';
import type { Organization } from '../organization.js';
import type { Cmdlet, CmdletContext, ShellObject } from './cmdlet.js';
import { exchangeCertificateCmdlets } from './exchange-certificate-cmdlets.js';
import { formatList } from './format-list.js';
import { formatTable } from './format-table.js';
import { type BoundElement, bindArguments } from './parameter-binding.js';
import { type Arg, argText } from './parameter-types.js';
import { type Command, parseLine, type Pipeline, type Value } from './parser.js';
import { bindingErrors, errorInfo, formatError } from './ps-error.js';
import { mailCmdlets } from './mail-cmdlets.js';
import { queueCmdlets } from './queue-cmdlets.js';
import { receiveConnectorCmdlets } from './receive-connector-cmdlets.js';
import { MemoryFileSystem, type ShellFileSystem, type ShellRuntime } from './runtime.js';
import { sendConnectorCmdlets } from './send-connector-cmdlets.js';
import { transportConfigCmdlets } from './transport-config-cmdlets.js';
import { trustedRootCmdlets } from './trusted-root-cmdlets.js';
import { expandProperties } from './wildcard.js';
import { BUILTIN_COMMANDS, commandNames, helpCmdlets } from './help-cmdlets.js';
import { didYouMean } from './suggest-name.js';

export interface ShellResult {
  ok: boolean;
  line: string;
  output: string;
  objects: unknown[];
  error?: { code: string; message: string };
}

export interface ManagementShellOptions {
  /** Edge name for server-scoped cmdlets (certificates, receive connectors); default the first edge. */
  server?: string;
  runtime?: ShellRuntime;
  /** Variables a lab script can use, e.g. { PartnerEdgeIP: '127.0.2.1' }. */
  variables?: Record<string, string | string[]>;
}

export const CMDLETS: readonly Cmdlet[] = [
  ...transportConfigCmdlets, ...sendConnectorCmdlets, ...receiveConnectorCmdlets, ...exchangeCertificateCmdlets, ...queueCmdlets,
  ...trustedRootCmdlets, ...mailCmdlets, ...helpCmdlets(() => ALL_COMMANDS),
];

/** Everything a user can type as a command (cmdlets and the built-in formatters): for help, suggestions and completion. */
export const ALL_COMMANDS: readonly Pick<Cmdlet, 'name' | 'aliases' | 'params'>[] = [...CMDLETS, ...BUILTIN_COMMANDS];

const FORMATTERS: Record<string, 'list' | 'table'> = { 'format-list': 'list', fl: 'list', 'format-table': 'table', ft: 'table' };

// Lines copied from documentation often keep the prompt (`[PS] C:\>`); it is not part of the command.
const PROMPT = /^(?:\[PS\]|PS)\s+[A-Za-z]:\\[^>]*>\s*/;

export class ManagementShell {
  readonly files: ShellFileSystem;
  readonly #ctx: CmdletContext;
  readonly #vars = new Map<string, Arg>();

  constructor(readonly org: Organization, opts: ManagementShellOptions = {}) {
    const rt = opts.runtime;
    this.files = rt?.readFile && rt.writeFile ? { readFile: rt.readFile.bind(rt), writeFile: rt.writeFile.bind(rt) } : new MemoryFileSystem();
    this.#ctx = {
      org, runtime: rt, files: this.files,
      edge: (name) => org.edge(name ?? opts.server),
      now: () => rt?.now?.() ?? new Date(),
      onUndo: () => undefined,
    };
    for (const [k, v] of Object.entries(opts.variables ?? {})) {
      this.#vars.set(k.toLowerCase(), Array.isArray(v) ? { kind: 'list', items: v.map((t) => ({ kind: 'text', text: t, quoted: true })) } : { kind: 'text', text: v, quoted: true });
    }
  }

  /** The cmdlet names this shell knows (for completion and help). */
  static cmdletNames(): string[] {
    return CMDLETS.map((c) => c.name);
  }

  async run(line: string): Promise<ShellResult> {
    const text = line.replace(PROMPT, '');
    const objects: ShellObject[] = [];
    const outputs: string[] = [];
    let cmdlet: string | undefined;
    try {
      for (const st of parseLine(text)) {
        if (st.kind === 'assignment') {
          this.#vars.set(st.variable.toLowerCase(), await this.#resolve(st.value));
          continue;
        }
        cmdlet = st.pipeline[0].name;
        const r = await this.#pipeline(st.pipeline, (name) => { cmdlet = name; });
        objects.push(...r.objects);
        if (r.output) outputs.push(r.output);
      }
      return { ok: true, line, output: outputs.join('\n\n'), objects: objects.map((o) => o.props) };
    } catch (e) {
      const info = errorInfo(e);
      return { ok: false, line, output: [...outputs, formatError(e, cmdlet)].join('\n\n'), objects: objects.map((o) => o.props), error: info };
    }
  }

  /** Runs every line (blank lines and `#` comments skipped); each line stands alone, as when pasted into EMS. */
  async runScript(script: string): Promise<ShellResult[]> {
    const out: ShellResult[] = [];
    for (const line of script.split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      out.push(await this.run(t));
    }
    return out;
  }

  async #pipeline(p: Pipeline, current: (name: string) => void): Promise<{ objects: ShellObject[]; output: string }> {
    const steps: { cmdlet: Cmdlet; elements: BoundElement[] }[] = [];
    let format: { view: 'list' | 'table'; props?: string[] } | undefined;
    // Resolve and bind every command first: an unknown name or bad argument anywhere leaves the model untouched.
    for (const [i, c] of p.entries()) {
      const f = FORMATTERS[c.name.toLowerCase()];
      if (f) {
        current(c.name);
        if (i !== p.length - 1) throw new DomsecError('ERR_SHELL_SYNTAX', `${c.name} must be the last command of a pipeline.`);
        format = { view: f, props: await this.#formatProps(c) };
        continue;
      }
      const cmdlet = findCmdlet(c.name);
      const elements = await this.#elements(c);
      current(cmdlet.name);
      bindArguments(cmdlet, elements, undefined, { deferMandatory: i > 0 });
      steps.push({ cmdlet, elements });
    }
    // Each command validates before it changes anything; what an earlier command of the pipeline changed is undone here.
    const undo: (() => void)[] = [];
    const ctx: CmdletContext = { ...this.#ctx, onUndo: (f) => undo.push(f) };
    let objects: ShellObject[] = [];
    try {
      for (const [i, s] of steps.entries()) {
        current(s.cmdlet.name);
        if (i === 0) {
          objects = await s.cmdlet.run(bindArguments(s.cmdlet, s.elements), ctx);
          continue;
        }
        const next: ShellObject[] = [];
        for (const input of objects) next.push(...await s.cmdlet.run(bindArguments(s.cmdlet, s.elements, input), ctx, input));
        objects = next;
      }
    } catch (e) {
      for (const f of undo.reverse()) f();
      throw e;
    }
    return { objects, output: render(objects, format) };
  }

  async #formatProps(c: Command): Promise<string[] | undefined> {
    const values = c.elements.flatMap((e) => (e.kind === 'value' ? [e.value] : e.value ? [e.value] : []));
    if (c.elements.some((e) => e.kind === 'param' && !/^property$/i.test(e.name))) {
      const bad = c.elements.find((e) => e.kind === 'param')!;
      const name = bad.kind === 'param' ? bad.name : '';
      throw bindingErrors.unknownParameter(name, didYouMean(name, ['Property'], '-').trim());
    }
    const names = (await Promise.all(values.map((v) => this.#resolve(v)))).flatMap(flatTexts);
    return names.length === 0 ? undefined : names;
  }

  async #elements(c: Command): Promise<BoundElement[]> {
    const out: BoundElement[] = [];
    for (const e of c.elements) {
      if (e.kind === 'value') out.push({ kind: 'value', value: await this.#resolve(e.value) });
      else out.push({ kind: 'param', name: e.name, colon: e.colon, value: e.value ? await this.#resolve(e.value) : undefined });
    }
    return out;
  }

  async #resolve(v: Value): Promise<Arg> {
    switch (v.kind) {
      case 'text': return v;
      case 'list': return { kind: 'list', items: await Promise.all(v.items.map((i) => this.#resolve(i))) };
      case 'hash': {
        const entries = new Map<string, Arg>();
        for (const e of v.entries) entries.set(e.key, await this.#resolve(e.value));
        return { kind: 'hash', entries };
      }
      case 'variable': {
        const n = v.name.toLowerCase();
        if (n === 'true' || n === 'false') return { kind: 'bool', value: n === 'true' };
        if (n === 'null') return { kind: 'null' };
        const value = this.#vars.get(n);
        if (!value) throw new DomsecError('ERR_SHELL_VARIABLE', `The variable '$${v.name}' cannot be retrieved because it has not been set. Set it first, for example $${v.name} = "value".`);
        return value;
      }
      case 'subexpression': return this.#subexpression(v.pipeline);
    }
  }

  /** `(ConvertTo-SecureString "pw" -AsPlainText -Force)` is how EMS documents -Password; anything else runs as a pipeline. */
  async #subexpression(p: Pipeline): Promise<Arg> {
    const c = p[0];
    if (p.length === 1 && c.name.toLowerCase() === 'convertto-securestring') {
      const elements = await this.#elements(c);
      const str = elements.findIndex((e) => e.kind === 'param' && /^string$/i.test(e.name));
      const named = str >= 0 ? elements[str] : undefined;
      const after = elements[str + 1];
      const v = named?.kind === 'param' && named.value ? named.value
        : named && after?.kind === 'value' ? after.value
          : elements.find((e) => e.kind === 'value')?.value;
      if (!v) throw bindingErrors.missingArgument('String', 'System.String');
      return { kind: 'secure', text: argText(v) };
    }
    if (p.length === 1 && c.name.toLowerCase() === 'get-content') return this.#fileBytes(await this.#elements(c));
    const r = await this.#pipeline(p, () => undefined);
    return r.objects.length === 1 && typeof r.objects[0].props.Thumbprint === 'string'
      ? { kind: 'text', text: r.objects[0].props.Thumbprint, quoted: true }
      : { kind: 'list', items: r.objects.map((o) => ({ kind: 'text', text: String(o.props.Identity ?? o.props.Thumbprint ?? ''), quoted: true })) };
  }

  /**
   * `-FileData (Get-Content -Path F -Encoding Byte -ReadCount 0)`, Exchange 2010's documented way to pass a file's
   * bytes: read through the shell's files (an absolute host path from disk), handed on as base64 text.
   */
  #fileBytes(elements: BoundElement[]): Arg {
    let path: string | undefined;
    let encoding: string | undefined;
    let name = 'path'; // a bare first value is the path, as Get-Content's position 0
    for (const e of elements) {
      if (e.kind === 'param' && !e.value) { name = e.name.toLowerCase(); continue; }
      const value = e.value;
      if (e.kind === 'param') name = e.name.toLowerCase();
      if (value && (name === 'path' || name === 'literalpath') && path === undefined) path = argText(value);
      else if (value && name === 'encoding') encoding = argText(value);
      name = 'path';
    }
    if (!path) throw bindingErrors.missingArgument('Path', 'System.String');
    if (encoding?.toLowerCase() !== 'byte') {
      throw new DomsecError('ERR_PARAMETER_VALUE', 'Here Get-Content reads a file\'s bytes for -FileData only: (Get-Content -Path <file> -Encoding Byte -ReadCount 0).');
    }
    return { kind: 'text', text: Buffer.from(this.files.readFile(path)).toString('base64'), quoted: true };
  }
}

function findCmdlet(name: string): Cmdlet {
  const n = name.toLowerCase();
  const c = CMDLETS.find((x) => x.name.toLowerCase() === n || x.aliases?.some((a) => a.toLowerCase() === n));
  if (!c) throw bindingErrors.unknownCmdlet(name, didYouMean(name, commandNames(ALL_COMMANDS)).trim());
  return c;
}

function flatTexts(a: Arg): string[] {
  return a.kind === 'list' ? a.items.flatMap(flatTexts) : [argText(a)];
}

function render(objects: ShellObject[], format: { view: 'list' | 'table'; props?: string[] } | undefined): string {
  if (objects.length === 0) return '';
  if (!format) {
    if (objects.every((o) => o.text !== undefined)) return objects.map((o) => o.text).join('\n');
    return objects[0].table ? formatTable(objects) : formatList(objects);
  }
  // `| FL name,thumbprint` picks properties case-insensitively, spelled as the object spells them; `*Domain*` and `*`
  // expand to every matching property of each object (a table takes its columns from the first object).
  const picked = format.props
    ? objects.map((o) => ({ ...o, props: Object.fromEntries(expandProperties(format.props!, Object.keys(o.props)).map((p) => [p, o.props[p]])) }))
    : objects;
  return format.view === 'list' ? formatList(picked) : formatTable(picked, format.props && expandProperties(format.props, Object.keys(objects[0].props)));
}
