// What became of one message, read only from what users and admins can observe: the recipient's mailbox (and its
// AuthAs header), the sender's queues, the sender's NDRs. "lost" is what DS-QUEUE-05 says never happens.
import { header } from './message.js';
import type { SimOrganization } from './sim-organization.js';

export type MessageFate =
  | { kind: 'delivered'; authAs: string; copies: number }
  | { kind: 'queued'; reply: string; lastError: string }
  | { kind: 'returned'; reply: string }
  | { kind: 'lost' };

/** `451 4.7.3` from a LastError or an NDR line: the code and enhanced code of the reply it carries. */
export function replyCodes(text: string): string {
  const inner = /responded with: "(\d{3} \d\.\d+\.\d+)/.exec(text) ?? /-> (\d{3} \d\.\d+\.\d+)(?!.*->)/.exec(text) ?? /(\d{3} \d\.\d+\.\d+)/.exec(text);
  return inner ? inner[1] : text;
}

export function fateOf(sender: SimOrganization, receiver: SimOrganization, messageId: string, rcpt: string): MessageFate {
  const copies = receiver.mailbox(rcpt).filter((m) => m.kind === 'mail' && m.messageId === messageId);
  if (copies.length > 0) return { kind: 'delivered', authAs: header(copies[0], 'X-MS-Exchange-Organization-AuthAs') ?? '(none)', copies: copies.length };
  // Per recipient: a message can be delivered to one, queued for another (4xx) and returned for a third (5xx).
  const queued = sender.messages().find((m) => m.messageId === messageId && m.to.some((t) => t.toLowerCase() === rcpt.toLowerCase()));
  if (queued) return { kind: 'queued', reply: replyCodes(queued.lastError ?? ''), lastError: queued.lastError ?? '' };
  const ndr = sender.mailboxes.all().find((m) => m.kind === 'ndr' && m.body.includes(`Original message id: ${messageId}`));
  // The NDR's own reply leads (`550 4.4.7 QUEUE.Expired …`); the last error it quotes comes after.
  if (ndr) return { kind: 'returned', reply: /Remote Server returned '(\d{3} \d\.\d+\.\d+)/.exec(ndr.body)?.[1] ?? '' };
  return { kind: 'lost' };
}

/** One line a scenario can compare: `delivered as Partner`, `queued with 451 4.7.3`, `returned with 530 5.7.1`, `lost`. */
export function describeFate(f: MessageFate): string {
  switch (f.kind) {
    case 'delivered': return `delivered as ${f.authAs}${f.copies > 1 ? ` (${f.copies} copies)` : ''}`;
    case 'queued': return `queued with ${f.reply}`;
    case 'returned': return `returned with ${f.reply}`;
    case 'lost': return 'lost';
  }
}
