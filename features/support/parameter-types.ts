// Parameter types: turn scenario words into values once (cucumber-js style), so steps never parse.
import { defineParameterType } from '@cucumber/cucumber';

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `10 minutes`, `4 hours`, `1 day`, `3 hours 59 minutes` → virtual milliseconds. */
defineParameterType({
  name: 'duration',
  regexp: /\d+ (?:second|minute|hour|day)s?(?: \d+ (?:second|minute|hour|day)s?)*/,
  transformer: (s: string) => [...s.matchAll(/(\d+) (second|minute|hour|day)s?/g)].reduce((ms, m) => ms + Number(m[1]) * UNIT_MS[m[2]], 0),
});

/** `true` / `false` as PowerShell's $True / $False. */
defineParameterType({ name: 'bool', regexp: /\$?(?:true|false|True|False)/, transformer: (s: string) => /true/i.test(s) });

/** `send` / `receive` protocol log → the ProtocolLog direction. */
defineParameterType({ name: 'direction', regexp: /send|receive/, transformer: (s: string) => (s === 'send' ? 'Send' : 'Receive') });
