// Public API of src/orgs: the organization model, its validation, and the domain-security policy.
export * from './smtp-domain.js';
export * from './secure-list.js';
export * from './transport-config.js';
export * from './address-space.js';
export * from './send-connector.js';
export * from './ip-range.js';
export * from './receive-connector.js';
export * from './certificate-store.js';
export * from './trusted-roots.js';
export * from './edge-server.js';
export * from './organization.js';
export * from './policy/decision.js';
export * from './policy/receive-decision.js';
export * from './policy/send-decision.js';
