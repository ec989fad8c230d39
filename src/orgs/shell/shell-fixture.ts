// Owns the organizations the shell's tests act on: an Exchange edge as it is after setup, before Domain Security is configured.
import { Organization } from '../organization.js';
import { ManagementShell, type ManagementShellOptions } from './shell.js';

/** adatum.com with edge EX1 (mail.adatum.com), the default Internet send connector and receive connectors `Internet` and `Default EX1`. */
export function adatumOrg(): Organization {
  const org = new Organization({ name: 'adatum.com', domains: ['adatum.com'] });
  const ex1 = org.addEdge('EX1', 'mail.adatum.com', '127.0.1.1');
  org.newSendConnector({ name: 'Internet', usage: 'Internet', addressSpaces: ['SMTP:*;100'] });
  ex1.newReceiveConnector({ name: 'Internet', usage: 'Internet' });
  ex1.newReceiveConnector({ name: 'Default EX1', usage: 'Internet' });
  return org;
}

/** Contoso with the two edges of seed 004 and the default Internet send connector (FQDN mail.contoso.com) and `Inet`. */
export function contosoOrg(): Organization {
  const org = new Organization({ name: 'Contoso', domains: ['contoso.com'] });
  org.addEdge('EDGE1', 'mail1.contoso.com', '127.0.3.1').newReceiveConnector({ name: 'Inet', usage: 'Internet' });
  org.addEdge('EDGE2', 'mail2.mail.contoso.com', '127.0.3.2').newReceiveConnector({ name: 'Inet', usage: 'Internet' });
  org.newSendConnector({ name: 'Internet', usage: 'Internet', addressSpaces: ['SMTP:*;100'], fqdn: 'mail.contoso.com' });
  return org;
}

export function shellFor(org: Organization, o?: ManagementShellOptions): ManagementShell {
  return new ManagementShell(org, o);
}

/** Runs a line that must succeed and returns its result; a failure shows the PowerShell error in the assertion. */
export async function ok(shell: ManagementShell, line: string) {
  const r = await shell.run(line);
  if (!r.ok) throw new Error(`${line}\n${r.output}`);
  return r;
}
