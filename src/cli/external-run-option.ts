// `domsec run --external DOMAIN=HOST:PORT[,from=IP][,submit=HOST:PORT][,adapter=SPEC]`: the outside MTA under test, where
// the harness submits the mail it makes that MTA send (the sender role), and its adapter. Unknown keys are an error.
import net from 'node:net';
import { DomsecError } from '../errors.js';
import { type ExternalOption, parseExternalOption } from './external-option.js';

export interface ExternalRunOption extends ExternalOption {
  submit?: { host: string; port: number };
}

const FORM = 'DOMAIN=HOST:PORT[,from=IP][,submit=HOST:PORT][,adapter=SPEC] (e.g. treyresearch.net=127.0.0.1:2525,submit=127.0.0.1:2525)';
const KEYS = ['from', 'submit', 'adapter'];

export function parseExternalRunOption(text: string): ExternalRunOption {
  const bad = (why: string) => new DomsecError('ERR_USAGE', `domsec run: --external "${text}" ${why}; give ${FORM}.`);
  // adapter= is the last key (its SPEC may hold commas and blanks), as for lab up.
  const at = text.indexOf(',adapter=');
  const adapter = at < 0 ? '' : text.slice(at);
  const [first, ...pairs] = (at < 0 ? text : text.slice(0, at)).trim().split(',');
  const keys = new Map<string, string>();
  for (const p of pairs) {
    const m = /^([a-z]+)=(\S+)$/.exec(p);
    if (!m) throw bad(`has "${p}", which is not KEY=VALUE`);
    if (!KEYS.includes(m[1])) throw bad(`has the unknown key "${m[1]}" (known: ${KEYS.join(', ')})`);
    if (keys.has(m[1])) throw bad(`gives ${m[1]} twice`);
    keys.set(m[1], m[2]);
  }
  let base: ExternalOption;
  try {
    base = parseExternalOption(`${first}${keys.has('from') ? `,from=${keys.get('from')}` : ''}${adapter}`);
  } catch (e) {
    throw bad((e as Error).message.replace(/^.*?" /, '').replace(/; give .*$/, ''));
  }
  const submit = keys.get('submit');
  if (submit === undefined) return base;
  const m = /^([^:\s]+):(\d{1,5})$/.exec(submit);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw bad(`has submit=${submit}, which is not HOST:PORT`);
  if (net.isIP(m[1]) === 0 && !/^[a-z0-9.-]+$/i.test(m[1])) throw bad(`has submit=${submit}, whose host is neither an address nor a name`);
  return { ...base, submit: { host: m[1], port: Number(m[2]) } };
}
