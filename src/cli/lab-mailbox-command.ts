// `domsec lab mailbox`: prints the messages delivered to a mailbox of the lab running in --dir, raw (mbox) or parsed.
import { resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import type { DeliveredMessage } from '../sim/index.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { DEFAULT_LAB_DIR, callLab, isAddress, readEndpoints } from './lab-client.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

type Mail = Omit<DeliveredMessage, 'raw'> & { raw?: string };

/** The headers that say whether and how a message arrived Domain Secured (DS-RECV-08), in the order Exchange stamps them. */
const AUTH_HEADERS = ['X-MS-Exchange-Organization-AuthSource', 'X-MS-Exchange-Organization-AuthAs', 'X-MS-Exchange-Organization-AuthMechanism', 'X-MS-Exchange-Organization-AuthDomain'];

function headerOf(m: Mail, name: string): string | undefined {
  return m.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

export function parsedLines(m: Mail, n: number): string[] {
  const authAs = headerOf(m, 'X-MS-Exchange-Organization-AuthAs');
  const authDomain = headerOf(m, 'X-MS-Exchange-Organization-AuthDomain');
  const secured = authAs === 'Partner' && authDomain ? `yes (AuthAs Partner, AuthDomain ${authDomain})` : `no (AuthAs ${authAs ?? 'missing'})`;
  return [
    `${n}. ${m.messageId}  ${m.kind}  received ${m.at} by ${m.receivedBy}`,
    `   From:    ${headerOf(m, 'From') ?? m.from}`,
    `   To:      ${headerOf(m, 'To') ?? m.to.join(', ')}`,
    `   Subject: ${m.subject}`,
    ...AUTH_HEADERS.flatMap((h) => (headerOf(m, h) !== undefined ? [`   ${h}: ${headerOf(m, h)}`] : [])),
    `   Domain Secured: ${secured}`,
  ];
}

/** mbox (RFC 4155): a "From " line before each message, ">From " quoting in the body, so mail tools read the output as is. */
export function mboxText(m: Mail): string {
  // asctime, as mbox wants it: "Mon Mar  2 09:00:00 2026"
  const date = new Date(m.at).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, (_all, wd: string, d: string, mon: string, y: string, t: string) => `${wd} ${mon} ${String(Number(d)).padStart(2, ' ')} ${t} ${y}`);
  const body = (m.raw ?? '').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  return `From ${m.from || 'MAILER-DAEMON'} ${date}\n${body.endsWith('\n') ? body : `${body}\n`}`;
}

export async function labMailboxCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOptions('lab mailbox', args, { dir: { type: 'string', short: 'd' }, parsed: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  if (values.help) {
    println(io.stdout, USAGE['lab mailbox']);
    return EXIT.ok;
  }
  const address = positionals[0];
  if (!address) throw new DomsecError('ERR_USAGE', 'domsec lab mailbox: name the mailbox, e.g. "domsec lab mailbox --dir .tmp/lab pat@treyresearch.net".');
  if (!isAddress(address)) throw new DomsecError('ERR_USAGE', `domsec lab mailbox: "${address}" is not an e-mail address.`);
  const endpoints = readEndpoints(resolve(io.cwd, values.dir ?? DEFAULT_LAB_DIR));
  const mails = await callLab<Mail[]>(endpoints.control, 'GET', `/mailbox?address=${encodeURIComponent(address)}&raw=1`);
  if (values.json) println(io.stdout, JSON.stringify(mails, null, 2));
  else if (mails.length === 0) println(values.parsed ? io.stdout : io.stderr, `The mailbox of ${address} is empty.`);
  else if (values.parsed) {
    println(io.stdout, `${mails.length} message(s) in the mailbox of ${address}:`);
    mails.forEach((m, i) => parsedLines(m, i + 1).forEach((l) => println(io.stdout, l)));
  } else for (const m of mails) io.stdout.write(`${mboxText(m)}\n`);
  return EXIT.ok;
}
