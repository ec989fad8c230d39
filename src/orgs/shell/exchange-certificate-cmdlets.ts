// Owns New-/Import-/Enable-/Get-/Remove-ExchangeCertificate on an edge's certificate store (DS-CONF-06).
import { createHash } from 'node:crypto';
import { createRequest, createSelfSigned, keyAlgorithmForSize, parseExchangeSubject, readRequest } from '../../ca/index.js';
import { DomsecError } from '../../errors.js';
import type { ExchangeService } from '../certificate-store.js';
import { type Cmdlet, type CmdletContext, SERVER_PARAM, type ShellObject } from './cmdlet.js';
import { addPendingRequest, claimPendingRequest, pendingRequests, publicKeyOf, readCertificateFile } from './certificate-file.js';
import { certificateObject, pendingRequestObject } from './certificate-view.js';
import { T } from './parameter-types.js';

const SERVICES = T.flags('Microsoft.Exchange.Management.SystemConfigurationTasks.AllowedServices',
  ['None', 'IMAP', 'POP', 'UM', 'IIS', 'SMTP', 'Federation', 'UMCallRouter']);
const DEFAULT_FRIENDLY_NAME = 'Microsoft Exchange';

function services(v: unknown): ExchangeService[] {
  return ((v as string[] | undefined) ?? []).filter((s): s is ExchangeService => s !== 'None');
}

/** Exchange asks before a new SMTP certificate replaces the default one; non-interactive, we refuse without -Force, before any change. */
function confirmSmtp(ctx: CmdletContext, server: string | undefined, wanted: ExchangeService[], force: boolean): void {
  const current = ctx.edge(server).certificates.defaultSmtpThumbprint;
  if (wanted.includes('SMTP') && current && !force) {
    throw new DomsecError('ERR_CONFIRM_REQUIRED', `Overwrite the existing default SMTP certificate ${current}? Run the command again with -Force to replace it.`, { current });
  }
}

const newExchangeCertificate: Cmdlet = {
  name: 'New-ExchangeCertificate',
  params: [
    { name: 'GenerateRequest', type: T.switch },
    { name: 'SubjectName', type: T.string },
    { name: 'DomainName', type: T.strings },
    { name: 'FriendlyName', type: T.string },
    { name: 'KeySize', type: T.int() },
    { name: 'PrivateKeyExportable', type: T.bool },
    { name: 'Path', type: T.string, aliases: ['RequestFile'] },
    { name: 'Services', type: SERVICES },
    { name: 'Force', type: T.switch },
    SERVER_PARAM,
  ],
  run: async (a, ctx) => {
    const edge = ctx.edge(a.Server as string | undefined);
    const subjectName = (a.SubjectName as string | undefined) ?? `CN=${edge.fqdn}`;
    parseExchangeSubject(subjectName); // a bad -SubjectName fails before a key is made
    const domainNames = (a.DomainName as string[] | undefined) ?? [];
    const keySize = (a.KeySize as number | undefined) ?? 2048;
    const friendlyName = (a.FriendlyName as string | undefined) ?? DEFAULT_FRIENDLY_NAME;
    const exportable = (a.PrivateKeyExportable as boolean | undefined) ?? false;
    if (a.GenerateRequest) {
      keyAlgorithmForSize(keySize);
      const keySeed = ctx.runtime?.keySeed?.('new-exchange-certificate-request');
      const req = await createRequest({ subjectName, domainNames, keySize: keySize as 1024 | 2048 | 4096, ...(keySeed !== undefined ? { keySeed } : {}) });
      const info = readRequest(req.csrBase64);
      const text = `-----BEGIN NEW CERTIFICATE REQUEST-----\n${req.csrBase64.match(/.{1,64}/g)!.join('\n')}\n-----END NEW CERTIFICATE REQUEST-----\n`;
      if (a.Path) ctx.files.writeFile(a.Path as string, new TextEncoder().encode(text));
      const thumbprint = createHash('sha1').update(Buffer.from(req.csrBase64, 'base64')).digest('hex').toUpperCase();
      const pending = {
        requestBase64: req.csrBase64, thumbprint, subject: info.subject, names: req.names, privateKeyPem: req.privateKeyPem,
        publicKeyDer: publicKeyOf(req.privateKeyPem), friendlyName, privateKeyExportable: exportable, publicKeySize: info.publicKeySize,
      };
      addPendingRequest(edge, pending);
      return [{ ...pendingRequestObject(pending, edge.name), text: text.trimEnd() }];
    }
    const wanted = a.Services === undefined ? (['IMAP', 'POP', 'SMTP'] as ExchangeService[]) : services(a.Services);
    confirmSmtp(ctx, edge.name, wanted, a.Force === true);
    const cn = /CN=([^,]+)/i.exec(subjectName)?.[1]?.trim() ?? edge.fqdn;
    const names = [...new Set([cn, ...(domainNames.length ? domainNames : [edge.fqdn])].map((n) => n.toLowerCase()))];
    const keySeed = ctx.runtime?.keySeed?.('new-exchange-certificate');
    const k = await createSelfSigned({ commonName: cn, subject: subjectName, dnsNames: names, algorithm: keyAlgorithmForSize(keySize), now: ctx.now(), ...(keySeed !== undefined ? { keySeed, serialSeed: keySeed } : {}) });
    const previousDefault = edge.certificates.defaultSmtpThumbprint;
    edge.certificates.add({ certificate: k.certificate, privateKeyPem: k.privateKeyPem, chain: [], services: new Set(), friendlyName, privateKeyExportable: exportable });
    ctx.onUndo(() => {
      edge.certificates.remove(k.certificate.thumbprint);
      edge.certificates.defaultSmtpThumbprint = previousDefault;
    });
    const stored = wanted.length ? edge.certificates.enable(k.certificate.thumbprint, wanted, true) : edge.certificates.get(k.certificate.thumbprint);
    return [await certificateObject(stored, ctx, edge.name)];
  },
};

const importExchangeCertificate: Cmdlet = {
  name: 'Import-ExchangeCertificate',
  params: [
    { name: 'Path', type: T.string, aliases: ['FileName'] },
    { name: 'FileData', type: T.string },
    { name: 'Password', type: T.secure },
    { name: 'FriendlyName', type: T.string },
    { name: 'PrivateKeyExportable', type: T.bool },
    SERVER_PARAM,
  ],
  run: async (a, ctx) => {
    const edge = ctx.edge(a.Server as string | undefined);
    const path = (a.Path as string | undefined) ?? '-FileData';
    if (!a.Path && !a.FileData) throw new DomsecError('ERR_PARAMETER_VALUE', 'Give the certificate file with -Path (or its base64 text with -FileData).');
    const bytes = a.Path ? ctx.files.readFile(a.Path as string) : new TextEncoder().encode(a.FileData as string);
    const read = await readCertificateFile(bytes, a.Password as string | undefined, path);
    // Importing the same certificate twice would wipe its enabled services; Exchange refuses instead.
    if (edge.certificates.list().some((i) => i.certificate.thumbprint === read.certificate.thumbprint)) {
      throw new DomsecError('ERR_CERT_EXISTS', `Cannot import certificate. A certificate with the thumbprint ${read.certificate.thumbprint} already exists on ${edge.name}. Run Get-ExchangeCertificate to see it.`);
    }
    // A certificate without its key is the CA's answer to a request made here: Exchange binds it to the request's key.
    const request = read.privateKeyPem ? undefined : claimPendingRequest(edge, read.certificate);
    const stored = edge.certificates.add({
      certificate: read.certificate,
      privateKeyPem: read.privateKeyPem ?? request?.privateKeyPem,
      chain: read.chain,
      services: new Set(),
      friendlyName: (a.FriendlyName as string | undefined) ?? request?.friendlyName ?? DEFAULT_FRIENDLY_NAME,
      // DS-CONF-06: a key imported from a PFX is non-exportable unless asked; a bound request keeps its own setting.
      privateKeyExportable: request ? request.privateKeyExportable : (a.PrivateKeyExportable as boolean | undefined) ?? false,
    });
    ctx.onUndo(() => {
      edge.certificates.remove(stored.certificate.thumbprint);
      if (request) addPendingRequest(edge, request);
    });
    return [await certificateObject(stored, ctx, edge.name)];
  },
};

const enableExchangeCertificate: Cmdlet = {
  name: 'Enable-ExchangeCertificate',
  params: [
    { name: 'Thumbprint', type: T.thumbprint, position: 0, mandatory: true, fromPipeline: 'Thumbprint', aliases: ['Identity'] },
    { name: 'Services', type: SERVICES, mandatory: true },
    { name: 'Force', type: T.switch },
    { name: 'DoNotRequireSsl', type: T.switch },
    SERVER_PARAM,
  ],
  run: (a, ctx, input) => {
    const edge = ctx.edge((a.Server as string | undefined) ?? input?.server);
    edge.certificates.enable(a.Thumbprint as string, services(a.Services), a.Force === true);
    return [];
  },
};

const getExchangeCertificate: Cmdlet = {
  name: 'Get-ExchangeCertificate',
  params: [{ name: 'Thumbprint', type: T.thumbprint, position: 0, aliases: ['Identity'] }, { name: 'DomainName', type: T.strings }, SERVER_PARAM],
  run: async (a, ctx) => {
    const edge = ctx.edge(a.Server as string | undefined);
    const thumb = a.Thumbprint as string | undefined;
    const domains = (a.DomainName as string[] | undefined)?.map((d) => d.toLowerCase());
    const named = (names: string[]) => !domains || names.some((n) => domains.includes(n.toLowerCase()));
    const out: ShellObject[] = [];
    for (const r of pendingRequests(edge)) if ((!thumb || r.thumbprint === thumb) && named(r.names)) out.push(pendingRequestObject(r, edge.name));
    const items = thumb && out.length === 0 ? [edge.certificates.get(thumb)] : thumb ? [] : edge.certificates.list();
    for (const item of items) if (named(item.certificate.names)) out.push(await certificateObject(item, ctx, edge.name));
    return out;
  },
};

const removeExchangeCertificate: Cmdlet = {
  name: 'Remove-ExchangeCertificate',
  params: [
    { name: 'Thumbprint', type: T.thumbprint, position: 0, mandatory: true, fromPipeline: 'Thumbprint', aliases: ['Identity'] },
    { name: 'Confirm', type: T.switch },
    SERVER_PARAM,
  ],
  run: (a, ctx, input) => {
    ctx.edge((a.Server as string | undefined) ?? input?.server).certificates.remove(a.Thumbprint as string);
    return [];
  },
};

export const exchangeCertificateCmdlets: Cmdlet[] = [
  newExchangeCertificate, importExchangeCertificate, enableExchangeCertificate, getExchangeCertificate, removeExchangeCertificate,
];
