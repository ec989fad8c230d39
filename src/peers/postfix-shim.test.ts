// The reference Postfix shim (docs/external-mta/postfix-shim.py) against a real Postfix; skips without Postfix, fails
// under CI=true.
import { startPostfixPeer } from './postfix/postfix-peer.js';
import { defineShimSuite } from './testing/shim-suite.js';

defineShimSuite({ kind: 'postfix', label: 'Postfix', startPeer: startPostfixPeer, shimConfig: (dir) => `${dir}/etc`, submitsThrough: 'sendmail' });
