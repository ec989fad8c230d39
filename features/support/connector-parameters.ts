// Connector parameters as the Exchange cmdlets spell them (`-DomainSecureEnabled $true`) mapped onto the model's fields.
const FIELDS: Record<string, { field: string; kind: 'bool' | 'string' | 'list' }> = {
  DomainSecureEnabled: { field: 'domainSecureEnabled', kind: 'bool' },
  RequireTLS: { field: 'requireTls', kind: 'bool' },
  IgnoreSTARTTLS: { field: 'ignoreStartTls', kind: 'bool' },
  ProtocolLoggingLevel: { field: 'protocolLoggingLevel', kind: 'string' },
  PermissionGroups: { field: 'permissionGroups', kind: 'list' },
  AuthMechanism: { field: 'authMechanism', kind: 'list' },
  Fqdn: { field: 'fqdn', kind: 'string' },
  TlsCertificateName: { field: 'tlsCertificateName', kind: 'string' },
};

export function connectorPatch(param: string, value: string): Record<string, unknown> {
  const f = FIELDS[param];
  if (!f) throw new Error(`Unknown connector parameter ${param}; known: ${Object.keys(FIELDS).join(', ')}`);
  const v = f.kind === 'bool' ? /^\$?true$/i.test(value) : f.kind === 'list' ? value.split(/\s*,\s*/) : value;
  return { [f.field]: v };
}
