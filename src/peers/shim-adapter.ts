// An MtaAdapter that asks a shim (a command or an HTTP endpoint) over the shim protocol: each MtaAdapter call is one
// request, each answer checked by readShimAnswer. Failures throw with the shim's message; guardedAdapter turns them into
// "not observable".
import type { MtaAdapter } from './mta-adapter.js';
import type { ShimTransport } from './cmd-shim.js';
import type { Observation } from './peer.js';
import { readShimAnswer, shimRequest, type ShimCall, type ShimValues } from './shim-protocol.js';

export interface ShimAdapter extends MtaAdapter {
  /** The shim's self-description (`capabilities`): its name and the calls it says it answers. */
  capabilities(): Promise<Observation<ShimValues['capabilities']>>;
}

export function shimAdapter(name: string, transport: ShimTransport): ShimAdapter {
  const ask = async <C extends ShimCall>(call: C, args?: Parameters<typeof shimRequest>[1]): Promise<Observation<ShimValues[C]>> => {
    const answer = readShimAnswer(name, call, await transport(shimRequest(call, args)));
    return answer.observable ? { observable: true, value: answer.value } : { observable: false, reason: `${what[call]} is not observable through ${name}: ${answer.reason}` };
  };
  return {
    name,
    capabilities: () => ask('capabilities'),
    submit: (message) => ask('submit', { message }),
    readMailbox: (address) => ask('mailbox', { address }),
    queueState: () => ask('queues'),
    retry: () => ask('retry'),
    logLines: () => ask('log'),
    readings: () => ask('readings'),
  };
}

const what: Record<ShimCall, string> = {
  capabilities: 'what the adapter answers', submit: 'submitting a message', mailbox: 'the mailbox', queues: 'the queue state',
  retry: 'retrying the queue', log: 'the log', readings: 'the DS outcome in the MTA\'s texts',
};
