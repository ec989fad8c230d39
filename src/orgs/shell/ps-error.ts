// Owns how errors look in the shell: PowerShell's error record (message, CategoryInfo, FullyQualifiedErrorId) for every ERR_ code.
import { DomsecError, type ErrorCode } from '../../errors.js';

/** What PowerShell prints under the message; the binder and parser set it, model errors get it from CODE_SHAPES. */
export interface ErrorShape {
  category: string; // InvalidArgument, ObjectNotFound, ParserError …
  exception?: string; // ParameterBindingException …
  fqid: string; // NamedParameterNotFound …
  target?: string; // the (target:type) part
}

export class ShellError extends DomsecError {
  /** A line printed under the error record (`Did you mean Get-Queue?`); the message itself stays PowerShell's. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, readonly shape: ErrorShape, hint?: string) {
    super(code, message, { ...shape });
    this.name = 'ShellError';
    if (hint) this.hint = hint;
  }
}

// Model errors carry no shape; this table gives each code the category Exchange uses for that kind of failure.
const CODE_SHAPES: Partial<Record<ErrorCode, Omit<ErrorShape, 'fqid'> & { fqid?: string }>> = {
  ERR_INVALID_SMTP_DOMAIN: { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'ParameterArgumentTransformationError' },
  ERR_SECURE_LIST_TOO_LONG: { category: 'InvalidData', exception: 'DataValidationException' },
  ERR_SEND_CONNECTOR_INVALID: { category: 'InvalidOperation', exception: 'DataValidationException' },
  ERR_RECEIVE_CONNECTOR_INVALID: { category: 'InvalidOperation', exception: 'DataValidationException' },
  ERR_CONNECTOR_EXISTS: { category: 'ResourceExists', exception: 'ADObjectAlreadyExistsException' },
  ERR_CONNECTOR_NOT_FOUND: { category: 'ObjectNotFound', exception: 'ManagementObjectNotFoundException' },
  ERR_CERT_NOT_FOUND: { category: 'ObjectNotFound', exception: 'ManagementObjectNotFoundException' },
  ERR_CERT_EXISTS: { category: 'ResourceExists', exception: 'InvalidOperationException' },
  ERR_CERT_NO_PRIVATE_KEY: { category: 'InvalidOperation', exception: 'InvalidOperationException' },
  ERR_CONFIRM_REQUIRED: { category: 'InvalidOperation', exception: 'ConfirmationRequiredException' },
  ERR_EDGE_NOT_FOUND: { category: 'ObjectNotFound', exception: 'ServerNotFoundException' },
  ERR_PFX_PASSWORD: { category: 'InvalidArgument', exception: 'CryptographicException' },
  ERR_PFX_FORMAT: { category: 'InvalidData', exception: 'CryptographicException' },
  ERR_PKCS7_FORMAT: { category: 'InvalidData', exception: 'CryptographicException' },
  ERR_CERT_FORMAT: { category: 'InvalidData', exception: 'CryptographicException' },
  ERR_SUBJECT_NAME: { category: 'InvalidArgument', exception: 'ArgumentException' },
  ERR_KEY_SIZE: { category: 'InvalidArgument', exception: 'ArgumentException' },
  ERR_SHELL_FILE: { category: 'ObjectNotFound', exception: 'FileNotFoundException' },
  ERR_SHELL_RUNTIME: { category: 'InvalidOperation', exception: 'InvalidOperationException' },
  ERR_SHELL_VARIABLE: { category: 'InvalidOperation', exception: 'RuntimeException', fqid: 'VariableIsUndefined' },
  ERR_SHELL_SYNTAX: { category: 'ParserError', exception: 'ParentContainsErrorRecordException' },
};

/** The code and the one-line message a caller matches on, from anything a cmdlet threw. */
export function errorInfo(e: unknown): { code: string; message: string } {
  if (e instanceof DomsecError) return { code: e.code, message: e.message };
  return { code: 'ERR_SHELL_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** The full error record as EMS prints it (message, then CategoryInfo and FullyQualifiedErrorId lines). */
export function formatError(e: unknown, cmdlet: string | undefined): string {
  const { code, message } = errorInfo(e);
  const shape: ErrorShape = e instanceof ShellError
    ? e.shape
    : { category: 'NotSpecified', exception: 'Exception', ...CODE_SHAPES[code as ErrorCode], fqid: CODE_SHAPES[code as ErrorCode]?.fqid ?? code };
  const where = shape.category === 'ParserError' || shape.fqid === 'CommandNotFoundException' ? '[]' : `[${cmdlet ?? ''}]`;
  const info = `${shape.category}: (${shape.target ?? ':'}) ${where}, ${shape.exception ?? 'ParentContainsErrorRecordException'}`;
  const fqid = shape.category === 'ParserError' || shape.fqid === 'CommandNotFoundException' || !cmdlet ? shape.fqid : `${shape.fqid},${cmdlet}`;
  const hint = e instanceof ShellError && e.hint ? [e.hint] : [];
  return [message, `    + CategoryInfo          : ${info}`, `    + FullyQualifiedErrorId : ${fqid}`, ...hint].join('\n');
}

/** Binding-time errors, in PowerShell's exact words. */
export const bindingErrors = {
  unknownParameter: (name: string, hint?: string) => new ShellError('ERR_PARAMETER_UNKNOWN', `A parameter cannot be found that matches parameter name '${name}'.`,
    { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'NamedParameterNotFound' }, hint),
  helpParameter: (cmdlet: string, name: string, hint?: string) => new ShellError('ERR_PARAMETER_UNKNOWN', `No parameter matches criteria ${name}. Run "Get-Help ${cmdlet}" for its parameters.`,
    { category: 'InvalidArgument', exception: 'HelpNotFoundException', fqid: 'NoParmsFound' }, hint),
  ambiguousParameter: (name: string, matches: string[]) => new ShellError('ERR_PARAMETER_UNKNOWN',
    `Parameter cannot be processed because the parameter name '${name}' is ambiguous. Possible matches include: ${matches.map((m) => `-${m}`).join(' ')}.`,
    { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'AmbiguousParameter' }),
  positional: (value: string) => new ShellError('ERR_PARAMETER_UNKNOWN', `A positional parameter cannot be found that accepts argument '${value}'.`,
    { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'PositionalParameterNotFound' }),
  missingArgument: (name: string, typeName: string) => new ShellError('ERR_PARAMETER_VALUE',
    `Missing an argument for parameter '${name}'. Specify a parameter of type '${typeName}' and try again.`,
    { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'MissingArgument' }),
  missingMandatory: (names: string[]) => new ShellError('ERR_PARAMETER_VALUE',
    `Cannot process command because of one or more missing mandatory parameters: ${names.join(' ')}.`,
    { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'MissingMandatoryParameter' }),
  duplicate: (name: string) => new ShellError('ERR_PARAMETER_VALUE', `Cannot bind parameter because parameter '${name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`,
    { category: 'InvalidArgument', exception: 'ParameterBindingException', fqid: 'ParameterAlreadyBound' }),
  conversion: (name: string, value: string, typeName: string, why?: string) => new ShellError('ERR_PARAMETER_VALUE',
    `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${value}" to type "${typeName}".${why ? ` ${why}` : ''}`,
    { category: 'InvalidData', exception: 'ParameterBindingArgumentTransformationException', fqid: 'ParameterArgumentTransformationError' }),
  validation: (name: string, why: string) => new ShellError('ERR_PARAMETER_VALUE',
    `Cannot validate argument on parameter '${name}'. ${why}`,
    { category: 'InvalidData', exception: 'ParameterBindingValidationException', fqid: 'ParameterArgumentValidationError' }),
  unknownCmdlet: (name: string, hint?: string) => new ShellError('ERR_CMDLET_UNKNOWN',
    `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    { category: 'ObjectNotFound', exception: 'CommandNotFoundException', fqid: 'CommandNotFoundException', target: `${name}:String` }, hint),
};
