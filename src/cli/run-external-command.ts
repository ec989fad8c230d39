// `domsec run --external …` (issue 9 item 5): the conformance catalogue against an outside MTA in the role(s) asked,
// with the stable lab's PKI and ports (--dir, --port-base), written as results.json, junit.xml and index.html.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { adapterForExternal } from '../peers/external-adapter.js';
import { type ExternalCheckResult, type ExternalRole, type ExternalTarget, plannedChecks, runExternalCatalogue } from '../peers/external-catalogue.js';
import { EXTERNAL_CONNECT_TIMEOUT_MS, externalPeerOf, type Lab, type SimOrganization } from '../sim/index.js';
import { resolveExternalHost } from '../sim/external-organization.js';
import { externalRunResult } from '../report/external-run.js';
import { checkRunId, makeRunId } from '../report/run-id.js';
import { checkKeep, writeReport } from '../report/write-report.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { applyExternalOptions, exportExternal, probeExternal } from './external-option.js';
import { type ExternalRunOption, parseExternalRunOption } from './external-run-option.js';
import { DEFAULT_LAB_DIR } from './lab-client.js';
import { resolveLab, startLabSpec } from './lab-file.js';
import { acquireLabLock } from './lab-lock.js';
import { prepareStableLab, settleStablePki } from './lab-stable.js';
import { ensureWritableDir } from './output-dir.js';
import { parseOptions } from './parse-options.js';
import { listenForSignals, RunStop, signalExit } from './run-stop.js';
import { USAGE } from './usage.js';

const ROLES: ExternalRole[] = ['receiver', 'sender', 'both'];
const MARK = { pass: 'pass', divergent: 'DIVERGENT', 'not-observable': 'not observable', 'not-applicable': 'n/a' } as const;

/** The organization the harness plays against the outside MTA: the first simulated one that lists its domain as a partner. */
function partnerOf(lab: Lab, external: SimOrganization): SimOrganization {
  const domain = external.model.primaryDomain;
  const simulated = lab.sim.orgs.filter((o) => o !== external && !externalPeerOf(o) && o.model.edges.length > 0);
  const listing = simulated.find((o) => [...o.model.transport.tlsSendDomainSecureList, ...o.model.transport.tlsReceiveDomainSecureList].some((d) => d.toLowerCase() === domain));
  const p = listing ?? simulated[0];
  if (!p) throw new DomsecError('ERR_USAGE', `domsec run --external: the lab ${lab.name} has no simulated organization to play ${domain}'s partner.`);
  return p;
}

/**
 * Starts the stable lab once, only to settle its PKI in D and read the partner's edge address, port and CA, then stops
 * it: the checks own those ports. The vendor's files in D (external.*, ca/roots.pem) are written only when missing.
 */
async function prepareTarget(io: CliIo, dir: string, ext: ExternalRunOption, labArg: string | undefined, portBase: string | undefined, seed: string): Promise<ExternalTarget> {
  const spec = applyExternalOptions(resolveLab(labArg, io.cwd), [ext]);
  const stable = prepareStableLab(dir, spec, { portBase, clock: 'real' });
  const lab = await startLabSpec(spec, { seed, ...stable.sim });
  try {
    await settleStablePki(dir, stable, lab);
    const external = lab.sim.org(ext.domain);
    const peer = externalPeerOf(external)!;
    const partner = partnerOf(lab, external);
    const edge = partner.edge(partner.model.edges[0].name);
    const roots = join(dir, 'ca', 'roots.pem');
    if (!existsSync(roots)) {
      mkdirSync(join(dir, 'ca'), { recursive: true });
      writeFileSync(roots, lab.sim.orgs.map((o) => o.pki.root.certificate.pem.trim()).join('\n') + '\n');
    }
    if (!existsSync(join(dir, external.model.primaryDomain, 'external.chain.pem'))) await exportExternal(dir, external, 'domsec');
    return {
      domain: external.model.primaryDomain, partner: partner.model.primaryDomain, host: peer.host, address: peer.address, port: peer.port,
      ...(ext.submit ? { submit: { host: await resolveExternalHost(external.model.primaryDomain, ext.submit.host), port: ext.submit.port } } : {}),
      partnerEdge: { address: edge.address, port: edge.port, fqdn: edge.model.fqdn },
      partnerIssuing: await partner.pki.issuing.exportKeyed(),
      externalRoots: [external.pki.root.certificate, external.pki.issuing.certificate],
      now: new Date(),
    };
  } finally {
    await lab.sim.stop();
  }
}

function line(r: ExternalCheckResult): string {
  return `  ${MARK[r.status].padEnd(14)} ${r.role.padEnd(8)} ${r.rules.join(',').padEnd(22)} ${r.title}${r.status === 'pass' ? '' : ` — ${r.actual}`}`;
}

export async function runExternalCommand(args: string[], io: CliIo, tool: { name: string; version: string }): Promise<ExitCode> {
  const { values, positionals } = parseOptions('run', args, {
    external: { type: 'string' }, dir: { type: 'string', short: 'd' }, 'port-base': { type: 'string' }, role: { type: 'string' },
    out: { type: 'string' }, seed: { type: 'string' }, 'run-id': { type: 'string' }, keep: { type: 'string' }, quiet: { type: 'boolean', short: 'q' },
  }, 1);
  if (values.help) {
    println(io.stdout, USAGE.run);
    return EXIT.ok;
  }
  const ext = parseExternalRunOption(values.external ?? '');
  const role = (values.role ?? 'both') as ExternalRole;
  if (!ROLES.includes(role)) throw new DomsecError('ERR_USAGE', `domsec run: --role ${values.role} is not a role; use receiver, sender or both.`);
  if (role !== 'receiver' && values['port-base'] === undefined) {
    throw new DomsecError('ERR_USAGE', `domsec run: the sender role needs --port-base (the partner edge's port your MTA routes mail to, as "lab up --port-base" printed it); or give --role receiver.`);
  }
  const seed = values.seed ?? 'domsec';
  const runId = values['run-id'] !== undefined ? checkRunId(values['run-id']) : makeRunId(seed, io.now());
  const outDir = resolve(io.cwd, values.out ?? 'reports');
  const keep = checkKeep(values.keep);
  const dir = resolve(io.cwd, values.dir ?? DEFAULT_LAB_DIR);
  const shown = shownPath(io.cwd, dir);
  ensureWritableDir('run', dir, shown, '--dir');
  ensureWritableDir('run', outDir, shownPath(io.cwd, outDir), '--out');
  const lock = acquireLabLock(dir, shown);
  const startedAt = new Date();
  const results: ExternalCheckResult[] = [];
  // Ctrl-C (or SIGTERM) ends the run after the running check and reports the finished ones; a second one at once.
  const stop = new RunStop();
  const dispose = listenForSignals(stop, (signal) => {
    println(io.stderr, `\n${signal}: stopping after the running check, then writing the report of the finished ones (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again stops at once).`);
  });
  try {
    const target = await prepareTarget(io, dir, ext, positionals[0], values['port-base'], seed);
    // Before any check: an MTA that does not answer is the user's to start, named with its address, not 12 failures.
    for (const [what, a] of [['its SMTP address', { host: target.host, address: target.address, port: target.port }], ...(target.submit ? [['its submit address', { ...target.submit, address: target.submit.host }]] as const : [])] as const) {
      const why = await probeExternal(a, EXTERNAL_CONNECT_TIMEOUT_MS);
      if (why) throw new DomsecError('ERR_EXTERNAL_ADDRESS', `domsec run: the external MTA of ${target.domain} at ${what}: ${why}. Start it (docs/external-mta.md) and run again.`, { domain: target.domain });
    }
    if (!values.quiet) println(io.stdout, `domsec run ${runId} --external ${target.domain} at ${target.host}:${target.port} as ${role}; the harness plays ${target.partner} (${target.partnerEdge.fqdn}, ${target.partnerEdge.address}:${target.partnerEdge.port})`);
    const catalogue = runExternalCatalogue(target, {
      role, adapter: adapterForExternal(ext.external, io.cwd), stopped: () => stop.signal !== undefined,
      onResult: (r) => { results.push(r); if (!values.quiet) println(io.stdout, line(r)); },
    });
    catalogue.catch(() => undefined);
    await Promise.race([catalogue, stop.hard]);
  } finally {
    dispose();
    lock.release();
  }
  const run = {
    ...externalRunResult({ runId, seed, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), domain: ext.domain.toLowerCase(), tool }, results),
    ...(stop.signal ? { interrupted: { signal: stop.signal, finished: results.length, planned: plannedChecks(role) } } : {}),
  };
  const written = writeReport(run, outDir, {}, { keep });
  const n = (s: ExternalCheckResult['status']) => results.filter((r) => r.status === s).length;
  println(io.stdout, `${n('pass')} pass, ${n('divergent')} divergent, ${n('not-observable')} not observable, ${n('not-applicable')} not applicable (${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s)`);
  println(io.stdout, `Report: ${shownPath(io.cwd, join(written.runDir, 'index.html'))} (results.json, junit.xml beside it; ${shownPath(io.cwd, written.latestDir)} points to it)`);
  if (stop.signal) {
    println(io.stdout, `INTERRUPTED by ${stop.signal} after ${results.length} of ${plannedChecks(role)} checks: the report holds those.`);
    return signalExit(stop.signal);
  }
  return n('divergent') > 0 ? EXIT.failures : EXIT.ok;
}
