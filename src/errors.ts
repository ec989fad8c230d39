// The one error catalogue: every error the harness raises carries a stable ERR_ code and a sentence a user can act on.
// It sits below every layer (src/ca and up may import it); callers match on `.code`, never on instanceof or text.

export const ErrorCodes = {
  // PKI (src/ca)
  ERR_PFX_PASSWORD: 'The PFX password is wrong, or the file is not a PKCS#12 file.',
  ERR_PFX_FORMAT: 'The PFX file could not be read.',
  ERR_PKCS7_FORMAT: 'The PKCS#7 file could not be read.',
  ERR_CERT_FORMAT: 'The certificate could not be parsed.',
  ERR_CSR_FORMAT: 'The certificate request could not be parsed.',
  ERR_CSR_SIGNATURE: 'The certificate request signature does not verify.',
  ERR_SUBJECT_NAME: 'The subject name is not a valid X.500 name.',
  ERR_KEY_SIZE: 'The key size is not supported.',
  ERR_KEY_FORMAT: 'The private key could not be read.',
  ERR_PFX_ITERATIONS: 'The PFX file asks for more key-derivation iterations than are accepted.',
  // Organization model (src/orgs)
  ERR_INVALID_SMTP_DOMAIN: 'The value is not a valid SMTP domain.',
  ERR_SECURE_LIST_TOO_LONG: 'A secure domain list holds at most 256 entries.',
  ERR_SEND_CONNECTOR_INVALID: 'The send connector settings are not valid.',
  ERR_RECEIVE_CONNECTOR_INVALID: 'The receive connector settings are not valid.',
  ERR_CONNECTOR_EXISTS: 'A connector with that name already exists.',
  ERR_CONNECTOR_NOT_FOUND: 'No connector has that identity.',
  ERR_CERT_NOT_FOUND: 'No certificate with that thumbprint is in the store.',
  ERR_CERT_EXISTS: 'A certificate with that thumbprint is already in the store.',
  ERR_CERT_NO_PRIVATE_KEY: 'The certificate has no private key.',
  ERR_CONFIRM_REQUIRED: 'The operation replaces the default SMTP certificate; confirm it with -Force.',
  ERR_EDGE_NOT_FOUND: 'No edge server has that name.',
  ERR_ORG_INVALID: 'The organization definition is not valid.',
  // Management shell (src/orgs/shell)
  ERR_CMDLET_UNKNOWN: 'The term is not recognized as the name of a cmdlet.',
  ERR_PARAMETER_UNKNOWN: 'A parameter cannot be found that matches the parameter name.',
  ERR_PARAMETER_VALUE: 'The parameter value is missing or of the wrong type.',
  ERR_SHELL_SYNTAX: 'The command line could not be parsed.',
  ERR_SHELL_FILE: 'The file could not be found in the shell\'s file system.',
  ERR_SHELL_RUNTIME: 'The cmdlet needs a running organization (queues, messages, logs); start a lab first.',
  ERR_SHELL_VARIABLE: 'The variable has not been set.',
  ERR_SHELL_INTERNAL: 'The cmdlet failed unexpectedly.',
  ERR_SHELL_FILE_UNREADABLE: 'The file on this machine cannot be read (permissions, not a file, or too large).',
  // Simulation (src/sim)
  ERR_SIM_STATE: 'The simulation is not in a state that allows this.',
  ERR_ADDRESS_IN_USE: 'The edge address and port are already in use on this machine.',
  ERR_NO_ROUTE: 'No send connector has an address space that matches the recipient domain.',
  ERR_LAB_FILE: 'The lab file is not valid.',
  ERR_SMTP_INPUT: 'The SMTP input is malformed.',
  ERR_PATH_OUTSIDE: 'A file would be written outside the folder it belongs in.',
  ERR_LAB_STATE: 'The lab could not read or write its durable queue and mailbox state.',
  ERR_EXTERNAL_ADDRESS: 'The address of an external organization\'s MTA is not usable.',
  // Peers and CLI
  ERR_MTA_MISSING: 'The mail server program is not installed on this machine.',
  ERR_MTA_START: 'The mail server did not start.',
  ERR_CONTAINER_ENGINE: 'No usable container engine, or a container did not start or an image could not be built; start the engine with .ci/docker-engine.sh (docs/ci.md).',
  ERR_PEER_TIMEOUT: 'The real mail server did not reach the expected state in time; see its log.',
  ERR_ADAPTER_SPEC: 'The adapter is not given as manual, cmd:PATH [ARGS] or http://HOST:PORT/BASE (docs/adapter-contract.md).',
  ERR_ADAPTER_FAILED: 'The adapter could not be run, exited with an error or answered with an HTTP error.',
  ERR_ADAPTER_TIMEOUT: 'The adapter did not answer in time.',
  ERR_NOT_OBSERVABLE: 'What the step reads is not observable through this MTA\'s adapter; the scenario cannot pass.',
  ERR_ADAPTER_ANSWER: 'The adapter\'s answer is not an answer of the adapter contract (docs/adapter-contract.md).',
  ERR_USAGE: 'The command line is not valid.',
  ERR_RULE_UNKNOWN: 'No DS rule has this ID; `domsec rules` lists them.',
  ERR_NO_SCENARIOS: 'The selection (paths, tags, names, profiles) matches no scenario.',
  ERR_OUTPUT_DIR: 'The output folder cannot be created or written to.',
  ERR_LAB_BUSY: 'A running lab already uses that folder.',
  ERR_CONTROL_REFUSED: 'The lab control port refused the request (token, Host, content type or size).',
  ERR_LAB_PKI: 'The PKI stored in the lab folder cannot be read or is missing.',
  ERR_LAB_PKI_MISMATCH: 'The PKI stored in the lab folder was made for other organizations or edges; --fresh replaces it.',
  ERR_LAB_PKI_EXPIRED: 'A certificate of the PKI stored in the lab folder is not valid at the lab\'s clock; --fresh replaces it.',
  ERR_MERGE_INPUT: 'A folder given to `domsec report merge` holds no readable results.json of a run.',
  ERR_MERGE_MISMATCH: 'The runs to merge differ in seed, selection or shard count: they are not parts of one run.',
  ERR_MERGE_OVERLAP: 'Two of the runs to merge ran the same scenario (or are the same shard).',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class DomsecError extends Error {
  readonly code: ErrorCode;
  readonly detail?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? ErrorCodes[code], options);
    this.name = 'DomsecError';
    this.code = code;
    this.detail = detail;
  }
}

export function isDomsecError(e: unknown, code?: ErrorCode): e is DomsecError {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
    (e as { code: string }).code.startsWith('ERR_') && (code === undefined || (e as { code: string }).code === code);
}
