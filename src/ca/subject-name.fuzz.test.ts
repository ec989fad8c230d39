// Fuzzes Exchange subject names (-SubjectName): ERR_SUBJECT_NAME or a name, never another exception or a hang; what
// parses also encodes, and its display form parses back to itself (issue 10 item 8). FUZZ_SEED=n explores another seed.
import { describe, expect, it } from 'vitest';
import { fuzz, type Rng } from '../../test/fuzz-kit.js';
import { isDomsecError } from '../errors.js';
import { encodeSubject, formatName, MAX_SUBJECT_LENGTH, parseExchangeSubject } from './subject-name.js';

const CORPUS = ['DC=com,DC=Contoso,CN=mail1.contoso.com', 'C=US, O=Contoso, CN=mail.contoso.com', 'CN=x, O="a, b", C=US', 'CN="q""uote", OU=IT',
  'OID.2.5.4.3=mail.adatum.com', 'E=admin@contoso.com; L=Redmond; S=WA', 'CN=a\\,b,O=x', 'SERIALNUMBER=1234, CN=y'];
const ALPHABET = ['=', ',', ';', '"', '\\', '+', ' ', 'CN', 'DC', 'O', 'C', 'OID.', '2.5.4.3', '.', 'a', 'Z', '0', '-', 'é', '\u0000', '\n', 'US'];

function subject(rng: Rng): string {
  switch (rng.int(4)) {
    case 0: return rng.text(ALPHABET, rng.int(30));
    // Many attributes or separators: a parser that rescans the rest of the input per separator is quadratic here.
    case 1: {
      const k = 1 + rng.int(rng.chance(0.2) ? 60_000 : 50);
      return rng.pick(['CN=a,', 'DC=x;', '=,', ',']).repeat(k) + (rng.chance(0.5) ? 'CN=b' : '') + ' '.repeat(rng.chance(0.5) ? k : 0);
    }
    default: return rng.mutate(rng.pick(CORPUS), ALPHABET);
  }
}

describe('subject name fuzz', () => {
  it('parses or refuses with ERR_SUBJECT_NAME; a parsed name encodes and round-trips', async () => {
    await fuzz({
      name: 'subject name', seed: 20, runs: 3_000, generate: subject,
      check: (input) => {
        let shown: string;
        try {
          shown = parseExchangeSubject(input);
        } catch (e) {
          if (isDomsecError(e, 'ERR_SUBJECT_NAME')) return;
          throw e;
        }
        // What parses must also encode to DER, and the DER must read back as the same display form.
        expect(formatName(encodeSubject(input))).toBe(shown);
        // Windows' display form does not escape backslashes (neither do we), so only backslash-free names round-trip.
        // The display form adds a space per separator, so it may outgrow MAX_SUBJECT_LENGTH; those are not re-read.
        if (!shown.includes('\\') && shown.length <= MAX_SUBJECT_LENGTH) expect(parseExchangeSubject(shown)).toBe(shown);
      },
    });
  });
});
