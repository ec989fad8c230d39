// The retry schedule of DS-QUEUE-03 as a pure function: N transient retries, then the outbound-connection interval.
import type { TransportSettings } from '../orgs/index.js';

/** When to try again after the `retryCount`-th failed attempt (1-based), from `now`. */
export function nextRetryAt(now: number, retryCount: number, s: TransportSettings): number {
  return now + (retryCount <= s.transientFailureRetryCount ? s.transientFailureRetryInterval : s.outboundConnectionFailureRetryInterval);
}
