// Fuzzes the shell's tokenizer and parser, then whole lines through the shell: a bad line is a PowerShell error with an
// ERR_ code, never an exception, a hang or a stack overflow (issue 10 item 8). Seeded; FUZZ_SEED=n explores another seed.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzz, type Rng } from '../../../test/fuzz-kit.js';
import { isDomsecError } from '../../errors.js';
import { parseLine } from './parser.js';
import { adatumOrg, shellFor } from './shell-fixture.js';

const scripts = new URL('./scripts/', import.meta.url);
const CORPUS = readdirSync(scripts).flatMap((f) => readFileSync(new URL(f, scripts), 'utf8').split(/\r?\n/)).filter((l) => l.trim() !== '' && !l.startsWith('#'));
CORPUS.push('Set-TransportConfig -TLSReceiveDomainSecureList @{Add="a.com","b.com";Remove=\'c.com\'}', '$x = (Get-ExchangeCertificate | ? {$_.Services -match "SMTP"})',
  'New-SendConnector -Name "To x" -AddressSpaces ("SMTP:x.com;1") -Usage:Partner', 'Get-Queue | FL; Retry-Queue -Identity EX1\\1');
const ALPHABET = ['-', '–', '"', "'", '“', '’', '`', '$', '@{', '{', '}', '(', ')', '|', ',', ';', '=', ':', ' ', '\t', '#', 'a', 'Z', '0', '.', '\\', '*', '\u0000', 'é', '$true', '-Name', 'Get-Queue'];

function line(rng: Rng): string {
  switch (rng.int(4)) {
    case 0: return rng.text(ALPHABET, rng.int(40));
    case 1: {
      // Deep nesting: the recursion a hostile line can force on a recursive-descent parser.
      const open = rng.pick(['(', '@{a=', '(Get-X ', '("a",']);
      const n = rng.chance(0.8) ? 10 + rng.int(100) : 1_000 + rng.int(4_000);
      return `Set-X -P ${open.repeat(n)}1${rng.chance(0.5) ? rng.pick([')', '}']).repeat(n) : ''}`;
    }
    default: return rng.mutate(rng.pick(CORPUS), ALPHABET);
  }
}

describe('shell parser fuzz', () => {
  it('parseLine returns statements or throws ERR_SHELL_SYNTAX, for any line', async () => {
    await fuzz({
      name: 'shell parseLine', seed: 10, runs: 3_000, generate: line,
      check: (input) => {
        try {
          expect(Array.isArray(parseLine(input))).toBe(true);
        } catch (e) {
          if (!isDomsecError(e, 'ERR_SHELL_SYNTAX')) throw e;
        }
      },
    });
  });

  it('the shell answers every line with a result, never an exception', async () => {
    const org = adatumOrg();
    const shell = shellFor(org);
    await fuzz({
      name: 'shell run', seed: 11, runs: 300,
      generate: (rng) => (rng.chance(0.8) ? rng.mutate(rng.pick(CORPUS), ALPHABET, 1 + rng.int(2)) : line(rng)),
      check: async (input) => {
        const r = await shell.run(input);
        expect(typeof r.ok).toBe('boolean');
        // ERR_SHELL_INTERNAL is the shell catching what a cmdlet or the parser threw by accident: a bug here.
        if (!r.ok) expect(r.error?.code, r.output).toMatch(/^ERR_(?!SHELL_INTERNAL)/);
      },
    });
  }, 30_000);
});
