// Owns Import-Certificate into Cert:\LocalMachine\Root: how an admin makes the organization trust a partner's root (DS-CERT-01).
import { DomsecError } from '../../errors.js';
import type { Cmdlet, ShellObject } from './cmdlet.js';
import { readCertificateFile } from './certificate-file.js';
import { T } from './parameter-types.js';

const ROOT_STORE = /^cert:\\localmachine\\root\\?$/i;

const importCertificate: Cmdlet = {
  name: 'Import-Certificate',
  params: [
    { name: 'FilePath', type: T.string, position: 0, mandatory: true, aliases: ['FileName'] },
    { name: 'CertStoreLocation', type: T.string, mandatory: true },
  ],
  run: async (a, ctx) => {
    const store = (a.CertStoreLocation as string).replace(/\//g, '\\');
    // Only the machine's trusted root store matters to Domain Security; other stores would silently do nothing here.
    if (!ROOT_STORE.test(store)) {
      throw new DomsecError('ERR_PARAMETER_VALUE', `The store '${a.CertStoreLocation}' isn't supported here. Use -CertStoreLocation Cert:\\LocalMachine\\Root to trust a partner's root.`);
    }
    const path = a.FilePath as string;
    const read = await readCertificateFile(ctx.files.readFile(path), undefined, path);
    const added = [read.certificate, ...read.chain].filter((c) => c.isSelfSigned);
    if (added.length === 0) throw new DomsecError('ERR_CERT_FORMAT', `The file '${path}' holds no self-signed (root) certificate to trust.`);
    for (const c of added) ctx.org.trustedRoots.add(c);
    return added.map((c): ShellObject => ({ type: 'X509Certificate2', props: { Thumbprint: c.thumbprint, Subject: c.subject }, table: ['Thumbprint', 'Subject'] }));
  },
};

export const trustedRootCmdlets: Cmdlet[] = [importCertificate];
