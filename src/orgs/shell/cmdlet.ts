// Owns the contract between the shell and a cmdlet: its parameters, what it receives (context, bound values) and what it returns.
import type { EdgeServer } from '../edge-server.js';
import type { Organization } from '../organization.js';
import type { ParamType } from './parameter-types.js';
import type { ShellFileSystem, ShellRuntime } from './runtime.js';

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Position for unnamed arguments (Identity is 0 on most cmdlets). */
  position?: number;
  mandatory?: boolean;
  aliases?: string[];
  /** Bound from a piped object's property of this name when not given on the line (ValueFromPipelineByPropertyName). */
  fromPipeline?: string;
}

/** An object a cmdlet emits: Exchange property names in display order, plus how it is shown when not formatted. */
export interface ShellObject {
  type: string;
  props: Record<string, unknown>;
  /** Columns of the default table view; absent = the default view is a list. */
  table?: string[];
  /** Values a table shows differently from the list (Get-ExchangeCertificate's Services: `....S..` vs `SMTP`). */
  tableValues?: Record<string, unknown>;
  /** Shown as is by the default view (New-ExchangeCertificate -GenerateRequest prints the request text). */
  text?: string;
  /** The edge the object lives on (certificates, receive connectors), so a piped cmdlet acts on the same server. */
  server?: string;
}

export interface CmdletContext {
  org: Organization;
  /** The edge server-scoped cmdlets act on: -Server when given, else the shell's server. */
  edge(name?: string): EdgeServer;
  runtime?: ShellRuntime;
  files: ShellFileSystem;
  now(): Date;
  /** Registers how to take back a change if a later command of the same pipeline fails (Import … | Enable … must not half-apply). */
  onUndo(undo: () => void): void;
}

export interface Cmdlet {
  name: string;
  aliases?: string[];
  params: ParamSpec[];
  /** Called once per piped object (or once with no input); validates fully before it changes the model. */
  run(args: Record<string, unknown>, ctx: CmdletContext, input?: ShellObject): Promise<ShellObject[]> | ShellObject[];
}

/** `-Server` or the `SERVER\Name` prefix of an identity; certificate and receive connector cmdlets take it. */
export const SERVER_PARAM: ParamSpec = { name: 'Server', type: { t: 'string' } };
