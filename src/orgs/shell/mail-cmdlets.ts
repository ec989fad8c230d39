// Owns Send-MailMessage: a user of the shell's organization submits a message, so a lab shell can cause a delivery attempt.
import { DomsecError } from '../../errors.js';
import type { Cmdlet } from './cmdlet.js';
import { T } from './parameter-types.js';

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * PowerShell's Send-MailMessage, narrowed to the lab: -SmtpServer is accepted and ignored because the message always
 * enters this organization's own transport (as a mailbox user's would), which then sends it over its connectors.
 */
const sendMailMessage: Cmdlet = {
  name: 'Send-MailMessage',
  params: [
    { name: 'To', type: T.strings, position: 0, mandatory: true }, { name: 'Subject', type: T.string, position: 1 },
    { name: 'Body', type: T.string, position: 2 }, { name: 'From', type: T.string, mandatory: true }, { name: 'SmtpServer', type: T.string },
  ],
  run: async (a, ctx) => {
    const send = ctx.runtime?.sendMessage;
    if (!send) throw new DomsecError('ERR_SHELL_RUNTIME', 'Send-MailMessage needs a running organization, and this shell only has its configuration. Run it in a lab shell (domsec shell) where a transport runs.');
    const from = a.From as string;
    const to = a.To as string[];
    for (const x of [from, ...to]) if (!ADDRESS.test(x)) throw new DomsecError('ERR_PARAMETER_VALUE', `"${x}" is not an e-mail address.`);
    const domain = from.slice(from.lastIndexOf('@') + 1).toLowerCase();
    if (!ctx.org.domains.includes(domain)) {
      throw new DomsecError('ERR_PARAMETER_VALUE', `The sender ${from} is not a user of ${ctx.org.name}: -From must be in one of its accepted domains (${ctx.org.domains.join(', ')}).`);
    }
    await send.call(ctx.runtime, { from, to, ...(a.Subject !== undefined ? { subject: a.Subject as string } : {}), ...(a.Body !== undefined ? { body: a.Body as string } : {}) });
    return [];
  },
};

export const mailCmdlets: Cmdlet[] = [sendMailMessage];
