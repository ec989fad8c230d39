// Public API of src/peers: real MTAs (Postfix, Exim) playing an organization, their error maps, the interop matrix and profiles.
export * from './peer.js';
export * from './peer-plan.js';
export * from './require-mta.js';
export * from './profile.js';
export * from './interop-expectations.js';
export * from './interop-matrix.js';
export * from './queue-snapshot.js';
export * from './smtp-probe.js';
export { parseMessage, readDelivered } from './maildir.js';
export { startPostfixPeer } from './postfix/postfix-peer.js';
export { POSTFIX_ERROR_MAP, readPostfixLog, readPostfixReason, type ErrorMapRow } from './postfix/postfix-error-map.js';
export { startEximPeer } from './exim/exim-peer.js';
export { EXIM_ERROR_MAP, readEximLog } from './exim/exim-error-map.js';
export { locateExim } from './exim/locate-exim.js';
export { type MtaCertificateView, type MtaSessionView, decideMailFrom } from './policy/mta-session.js';
export * from './containers/container-engine.js';
export { startContainerPeer, CONTAINER_IMAGES } from './containers/container-peer.js';
