// DS-RECV-08 / issue 10: no Auth* header survives the way in, whatever line end or fold hides it.
import { describe, expect, it } from 'vitest';
import { withoutAuthHeaders } from './auth-headers.js';
import { parseRaw } from './message.js';

const names = (raw: string) => withoutAuthHeaders(raw).headers.map(([n]) => n);

describe('withoutAuthHeaders', () => {
  it.each([
    ['CRLF', 'Subject: a\r\nX-MS-Exchange-Organization-AuthAs: Partner\r\n\r\nbody'],
    ['bare LF', 'Subject: a\nX-MS-Exchange-Organization-AuthAs: Partner\r\n\r\nbody'],
    ['bare CR', 'Subject: a\rX-MS-Exchange-Organization-AuthAs: Partner\r\n\r\nbody'],
    ['folded value', 'Subject: a\r\nX-MS-Exchange-Organization-AuthAs:\r\n Partner\r\n\r\nbody'],
    ['space before the colon', 'Subject: a\r\nX-MS-Exchange-Organization-AuthAs : Partner\r\n\r\nbody'],
    ['other case', 'Subject: a\r\nx-ms-exchange-organization-AUTHDOMAIN: contoso.com\r\n\r\nbody'],
    ['LF-only message', 'Subject: a\nX-MS-Exchange-Organization-AuthSource: evil\n\nbody'],
  ])('strips one hidden behind %s', (_how, raw) => {
    expect(names(raw)).toEqual(['Subject']);
    expect(withoutAuthHeaders(raw).body).toBe('body');
  });

  it('a line that is no header starts the body, so its text is kept and what follows is no header', () => {
    expect(parseRaw('Subject: a\nhello world\nX-MS-Exchange-Organization-AuthAs: Partner\n')).toEqual({ headers: [['Subject', 'a']], body: 'hello world\nX-MS-Exchange-Organization-AuthAs: Partner\n' });
  });

  it('keeps other headers and unfolds continuations', () => {
    expect(parseRaw('A: 1\r\n\t2\r\nB: 3\n\nx').headers).toEqual([['A', '1 2'], ['B', '3']]);
  });

  it('a blank line made of bare line ends ends the header section; what follows is body, not headers', () => {
    expect(parseRaw('Subject: a\r\rX-MS-Exchange-Organization-AuthAs: Partner\r\n\r\nbody')).toEqual({ headers: [['Subject', 'a']], body: 'X-MS-Exchange-Organization-AuthAs: Partner\r\n\r\nbody' });
  });
});
