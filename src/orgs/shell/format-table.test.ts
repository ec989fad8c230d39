import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.js';

describe('formatTable', () => {
  it('pads columns to their widest cell, underlines headers, and uses table-only values', () => {
    const objects = [
      { type: 'c', props: { Thumbprint: 'AB', Services: 'SMTP', Subject: 'CN=mail1.contoso.com' }, table: ['Thumbprint', 'Services', 'Subject'], tableValues: { Services: '....S..' } },
      { type: 'c', props: { Thumbprint: 'CDEF0123456', Services: 'None', Subject: 'CN=x' }, table: ['Thumbprint', 'Services', 'Subject'], tableValues: { Services: '.......' } },
    ];
    expect(formatTable(objects).split('\n')).toEqual([
      'Thumbprint  Services Subject',
      '----------  -------- -------',
      'AB          ....S..  CN=mail1.contoso.com',
      'CDEF0123456 .......  CN=x',
    ]);
  });

  it('prints nothing for no objects, and picks explicit columns', () => {
    expect(formatTable([])).toBe('');
    expect(formatTable([{ type: 't', props: { A: 1, B: [] } }], ['B'])).toBe('B\n-\n{}');
  });
});
