// `domsec lab up`: starts a lab's organizations and keeps them up until Ctrl-C, with everything outside tools need written to --dir.
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { DomsecError } from '../errors.js';
import { ANY_IPV4 } from '../orgs/index.js';
import { LIMIT_EVENTS, type Lab } from '../sim/index.js';
import { QueueJournal } from '../sim/queue-journal.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type Endpoints, clearLabDir, exportLab, snapshotQueues } from './lab-export.js';
import { LabEvidenceFile } from './lab-evidence-file.js';
import { startLabControl } from './lab-control.js';
import { DEFAULT_LAB_DIR } from './lab-client.js';
import { type LabSpec, resolveLab, startLabSpec } from './lab-file.js';
import { type ExternalContainers, labFileImages, startExternalImages, withImagePorts } from './external-image.js';
import { applyExternalOptions, type ExternalOption, parseExternalOption, reportExternals } from './external-option.js';
import { acquireLabLock } from './lab-lock.js';
import { prepareStableLab, settleStablePki, type StableOptions } from './lab-stable.js';
import { ensureWritableDir } from './output-dir.js';
import { setAsidePreviousRun } from './lab-previous-run.js';
import { parseOptions } from './parse-options.js';
import { BatchedLines } from './batched-lines.js';
import { sessionLine } from './session-line.js';
import { USAGE } from './usage.js';

export { DEFAULT_LAB_DIR } from './lab-client.js';
export const DEFAULT_PFX_PASSWORD = 'domsec';
/** Wall-clock polling of the lab's evidence for evidence.json; not a protocol timer (those run on the virtual clock). */
const EVIDENCE_POLL_MS = 500;
/**
 * V8's old generation may grow to this much above what the last full collection kept before the next one (V8 picks
 * 10–300% itself). A running lab turns objects over at a steady rate (the latest hops, mailbox messages and tracking
 * entries it keeps give way to new ones), so V8 let the committed heap swing from ~75 to ~138 MB for ~29 MB live and RSS
 * with it; at 50% it stays at 71–86 MB for the same 10,000 sends, for ~20% more full collections (model-choices.md).
 * Set for `lab up` only, before the lab starts: a scenario run is short and its collections are its speed.
 */
export const LAB_UP_HEAP_GROWING_PERCENT = 50;

/**
 * Outside tools connect from `outside` (127.0.0.1 by default), not from the partner edge's own 127.0.n.e address,
 * so every receive connector limited by RemoteIPRanges also takes that address: swaks then meets the Partner connector.
 */
function admitOutside(lab: Lab, outside: string): string[] {
  const changed: string[] = [];
  for (const org of lab.sim.orgs) {
    for (const edge of org.model.edges) {
      for (const c of edge.receiveConnectors) {
        const texts = c.remoteIpRanges.map((r) => r.text);
        if (texts.includes(ANY_IPV4) || texts.includes(outside)) continue;
        edge.setReceiveConnector(edge.identityOf(c), { remoteIpRanges: [...texts, outside] });
        changed.push(edge.identityOf(c));
      }
    }
  }
  return changed;
}

/**
 * swaks (Debian 12's 20201014) sends only the leaf certificate, never the issuing CA, and the simulated receiver does
 * not fetch intermediates (Windows would, through AIA). So with --outside each organization also trusts the issuing
 * CA of every organization whose root it trusts: a leaf-only client chain then validates as the full chain would.
 */
function trustPartnerIssuers(lab: Lab): void {
  for (const org of lab.sim.orgs) {
    for (const other of lab.sim.orgs) {
      if (other !== org && org.model.trustedRoots.has(other.pki.root.certificate.thumbprint)) org.model.trustedRoots.add(other.pki.issuing.certificate);
    }
  }
}

function printEndpoints(io: CliIo, dir: string, e: Endpoints, cwd: string): void {
  const d = shownPath(cwd, dir);
  println(io.stdout, `lab ${e.lab} (seed ${e.seed}) is up. Files for outside tools are in ${d}/ (endpoints.json, ca/roots.pem, <domain>/<edge>.{crt.pem,key.pem,pfx}, logs/).`);
  for (const o of e.organizations) {
    for (const x of o.edges) {
      println(io.stdout, `  ${o.name.padEnd(18)} ${x.edge.padEnd(6)} ${x.fqdn.padEnd(26)} ${`${x.address}:${x.port}`.padEnd(22)} ${x.certificate ? join(d, x.certificate) : '(no SMTP certificate)'}`);
    }
  }
  const [a, b] = e.organizations;
  const from = a?.edges[0];
  const to = b?.edges[0];
  if (from?.certificate && to) {
    println(io.stdout, 'Try:');
    println(io.stdout, `  swaks --server ${to.address}:${to.port} --tls --tls-cert ${join(d, from.certificate)} --tls-key ${join(d, from.key ?? '')} --from administrator@${from.domain} --to administrator@${to.domain}`);
    println(io.stdout, `  openssl s_client -starttls smtp -connect ${to.address}:${to.port} -cert ${join(d, from.certificate)} -cert_chain ${join(d, from.chain ?? '')} -key ${join(d, from.key ?? '')} -CAfile ${join(d, e.roots)}`);
    println(io.stdout, `  domsec lab send --dir ${d} --from administrator@${from.domain} --to administrator@${to.domain}`);
  }
  if (e.outside) println(io.stdout, `Connections from ${e.outside} are treated like the partner's edge (added to RemoteIPRanges).`);
  println(io.stdout, `Press Ctrl-C (or run "domsec lab down --dir ${d}") to stop the lab.`);
}

export async function labUpCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOptions('lab up', args, {
    dir: { type: 'string', short: 'd' }, seed: { type: 'string' }, 'pfx-password': { type: 'string' }, outside: { type: 'string' },
    fresh: { type: 'boolean' }, 'port-base': { type: 'string' }, clock: { type: 'string' }, 'edge-threads': { type: 'string' },
    external: { type: 'string', multiple: true },
  }, 1);
  if (values.help) {
    println(io.stdout, USAGE['lab up']);
    return EXIT.ok;
  }
  setFlagsFromString(`--heap-growing-percent=${LAB_UP_HEAP_GROWING_PERCENT}`);
  const cli = (values.external ?? []).map(parseExternalOption);
  // A lab file's external images (external.image) are started as --external DOMAIN=image:NAME would be.
  const fromFile = labFileImages(resolveLab(positionals[0], io.cwd), cli);
  const externals = await withImagePorts([...fromFile.images, ...cli]);
  const spec = applyExternalOptions(fromFile.spec, externals);
  const seed = values.seed ?? spec.seed ?? spec.lab;
  const dir = resolve(io.cwd, values.dir ?? DEFAULT_LAB_DIR);
  const shown = shownPath(io.cwd, dir);
  ensureWritableDir('lab up', dir, shown, '--dir');
  // Before anything in D is touched: a running lab's keys, logs and evidence are its own.
  const lock = acquireLabLock(dir, shown);
  if (lock.tookOverFrom !== undefined) println(io.stderr, `domsec lab up: ${shown} was locked by pid ${lock.tookOverFrom}, which no longer runs; taking it over.`);
  try {
    return await runLab(io, spec, seed, dir, values['pfx-password'], values.outside, { fresh: values.fresh, portBase: values['port-base'], clock: values.clock }, externals, edgeThreadsOption(values['edge-threads']));
  } finally {
    lock.release();
  }
}

/** `--edge-threads N`: checked before anything starts (EdgeThreads checks again for other callers). */
function edgeThreadsOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 64) throw new DomsecError('ERR_USAGE', `domsec lab up: --edge-threads ${text} is not a whole number from 0 to 64.`);
  return n;
}

async function runLab(io: CliIo, spec: LabSpec, seed: string, dir: string, pfxPassword: string | undefined, outsideOption: string | undefined, stableOptions: StableOptions, externals: ExternalOption[], edgeThreads?: number): Promise<ExitCode> {
  const outside = outsideOption === 'none' ? undefined : (outsideOption ?? '127.0.0.1');
  const previous = setAsidePreviousRun(dir);
  const stable = prepareStableLab(dir, spec, stableOptions);
  clearLabDir(dir, []);
  const lab = await startLabSpec(spec, { seed, logRoot: join(dir, 'logs'), ...stable.sim, ...(edgeThreads !== undefined ? { edgeThreads } : {}) });
  // Durable from here on: mail an edge accepts, and mail queued, is on disk before anyone is told (queue-journal.ts).
  const recovered = await new QueueJournal(lab.sim, join(dir, 'state')).attach().catch(async (e: unknown) => {
    await lab.sim.stop(); // an unreadable queue file stops the start (its mail must not be dropped), and the edges with it
    throw e;
  });
  const evidence = new LabEvidenceFile(join(dir, 'evidence.json'), lab.name);
  lab.sim.onHop((h) => evidence.add(h));
  let seen = '';
  let evidenceFailing = false;
  const record = () => {
    const snap = snapshotQueues(lab);
    const key = JSON.stringify(snap.map(({ at: _at, ...q }) => q));
    if (key === seen && !evidence.hasPending) return;
    try {
      evidence.write(lab.sim.clock.now().toISOString(), snap, lab.sim.evidence);
      seen = key;
      evidenceFailing = false;
    } catch (e) {
      // Disk full or --dir removed: say so once (stderr and an event per organization) and keep the lab up; retried next poll.
      if (evidenceFailing) return;
      evidenceFailing = true;
      const text = `The lab evidence ${join(dir, 'evidence.json')} could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the lab goes on and tries again.`;
      println(io.stderr, `warning: ${text}`);
      for (const org of lab.sim.orgs) org.obs.event({ id: LIMIT_EVENTS.writeFailed, source: 'MSExchangeTransport', at: lab.sim.clock.now().toISOString(), server: org.model.edges[0]?.name ?? org.name, text });
    }
  };
  let stop: (how: string) => void = () => undefined;
  const stopped = new Promise<string>((done) => { stop = done; });
  const control = await startLabControl(lab, record, () => stop('lab down'));
  let containers: ExternalContainers | undefined;
  try {
    // The PKI kept in D (pki/) before trust is widened and files are exported: they must show the stored certificates.
    println(io.stdout, `PKI ${await settleStablePki(dir, stable, lab)} in ${shownPath(io.cwd, join(dir, 'pki'))}/ (--fresh renews it).`);
    if (outside) {
      admitOutside(lab, outside);
      trustPartnerIssuers(lab);
    }
    const endpoints = await exportLab(dir, lab, { password: pfxPassword ?? DEFAULT_PFX_PASSWORD, control: { host: '127.0.0.1', port: control.port, token: control.token }, seed, ...(outside ? { outside } : {}) });
    record();
    containers = await startExternalImages(io, lab, dir, endpoints, externals);
    printEndpoints(io, dir, endpoints, io.cwd);
    await reportExternals(io, lab, dir);
    // One live line per SMTP session, outside tools' and the lab's own, as each ends.
    // Gathered for 20 ms: a busy edge ends hundreds of sessions a second, and stdout to a pipe is written synchronously.
    const sessionLines = new BatchedLines(io.stdout);
    lab.sim.onSession((s) => sessionLines.add(sessionLine(s)));
    if (previous) {
      println(io.stdout, `Restarted on ${shownPath(io.cwd, dir)}: ${recovered.queuedMessages} queued message(s) recovered and tried again, ${recovered.mailboxMessages} mailbox message(s) kept; the previous run's logs and evidence are in ${shownPath(io.cwd, previous)}.`);
    }
    const poll = setInterval(record, EVIDENCE_POLL_MS);
    const onSignal = (signal: NodeJS.Signals) => stop(signal);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const how = await stopped;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    clearInterval(poll);
    sessionLines.flush();
    record();
    evidence.close();
    println(io.stdout, `\nlab ${spec.lab} stopped (${how}); evidence in ${shownPath(io.cwd, join(dir, 'evidence.json'))}`);
    return EXIT.ok;
  } finally {
    await containers?.stop();
    await control.close();
    await lab.sim.stop();
  }
}
