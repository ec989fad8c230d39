// Public API of the management shell: run EMS command lines against an Organization, and the documented labs as scripts.
export { ManagementShell, CMDLETS, type ShellResult, type ManagementShellOptions } from './shell.js';
export type { ShellRuntime, ShellFileSystem, QueueView, MessageView, TrackingView } from './runtime.js';
export { MemoryFileSystem } from './runtime.js';
export { HostFileSystem, HOST_FILE_MAX_BYTES } from './host-file-system.js';
export type { Cmdlet, ShellObject, ParamSpec } from './cmdlet.js';
export { parseLine, type Statement, type Pipeline, type Command, type Value } from './parser.js';
export { tokenize, type Token } from './tokenizer.js';
export { formatList } from './format-list.js';
export { formatTable } from './format-table.js';
export { formatError, ShellError } from './ps-error.js';
export { pendingRequests, type PendingRequest } from './certificate-file.js';
export { labScript, LAB_SCRIPTS, type LabScriptName } from './lab-scripts.js';
export { completeLine } from './complete-line.js';
export { ALL_COMMANDS } from './shell.js';
