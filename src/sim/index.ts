// Public API of src/sim: the simulation, its organizations, network switches, evidence and the documented labs.
export * from './clock.js';
export * from './dns-zone.js';
export * from './evidence.js';
export * from './network-faults.js';
export * from './network.js';
export * from './message.js';
export * from './observability.js';
export * from './protocol-log.js';
export * from './simulation.js';
export * from './sim-organization.js';
export * from './documented-labs.js';
export * from './last-error.js';
export * from './retry-schedule.js';
export * from './tls-description.js';
export * from './starttls-stripper.js';
