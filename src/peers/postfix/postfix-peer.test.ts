// Interop: a real Postfix plays treyresearch.net against a simulated adatum.com (both roles); skips without Postfix, fails under CI=true.
import { definePeerInteropSuite } from '../testing/peer-suite.js';
import { startPostfixPeer } from './postfix-peer.js';

definePeerInteropSuite('postfix', startPostfixPeer);
