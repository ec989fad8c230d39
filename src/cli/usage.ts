// Help texts for `domsec` and each subcommand (docs/cli.md says the same at more length); every option in a usage line is explained below it.

export const USAGE: Record<string, string> = {
  main: `Usage: domsec <command> [options]

Commands:
  run [paths…]           run the conformance catalogue (features/) and write reports/<run-id>/ (reports/latest points to it)
  lab [lab-file]         run a lab once: send its test messages and print what happened
  lab up [lab-file]      start a lab and keep it up until Ctrl-C or "lab down", for swaks, openssl s_client or a real MTA
  lab down               stop the lab "lab up" keeps running in a folder
  lab status             is a lab running in a folder: its pid, edges and control URL
  lab send               inject a message into a running lab
  lab mailbox ADDRESS    print the messages delivered to a mailbox of a running lab (--parsed: headers only)
  cert issue             issue a certificate (good or faulty) from a stable lab's CAs for an outside MTA
  report merge DIR…      join the report folders of a run's shards (run --shard i/n) into one report
  doctor                 name the cause of a failed delivery from its evidence, with the fix
  shell                  the Exchange Management Shell against a lab organization (or a running lab with --dir)
  adapter check SPEC     ask an MTA adapter (cmd:PATH [ARGS] or http://HOST:PORT/BASE) each call of the contract
  rules [ID]             the DS rules the harness checks; with an ID its statement, sources and what is observable
  help [command]         this text, or a command's options (same as "domsec <command> --help")

  --version, -V          print domsec's version
Exit status: 0 everything as expected, 1 failures, 2 usage or configuration error, 130 interrupted (Ctrl-C), 143 terminated.
Run "domsec <command> --help" for a command's options.`,
  run: `Usage: domsec run [--tags EXPR] [--profile NAME]… [--seed S] [options] [feature paths…]

Runs the scenarios of cucumber.mjs (features/**/*.feature unless paths are given) and writes
results.json, junit.xml and index.html to <out>/<run-id>/; <out>/latest points to it (a symlink).
A selection that matches no scenario is an error (exit 2) and leaves <out>/latest/ as it was.

  --tags EXPR, -t        cucumber tag expression, e.g. "@DS-RECV-04 or @area-send"
  --profile NAME, -p     a cucumber.mjs profile: interop-postfix, interop-exim = a real MTA as treyresearch.net.
                         Repeatable: each profile runs on its own with its own expectations, into one report
  --seed S               seed for the simulation (default "domsec"); passed to the World as parameters.seed
  --run-id ID            report folder name (default run-<seed>-<yyyymmddThhmmss>, UTC wall clock)
  --out DIR              report root (default reports); checked to be writable before the run starts
  --expectations FILE    known divergences (default expectations.json)
  --config FILE, -c      cucumber configuration file (default cucumber.mjs)
  --name REGEX           only scenarios whose name matches (repeatable)
  --list                 print the selected scenarios with their DS rule tags; runs nothing, writes nothing
  --dry-run              check the selection and that every step has a definition; runs nothing, writes nothing
  --fail-fast            stop after the first scenario that changes from the expectations file
  --quiet, -q            no progress lines, only the summary
  --keep N               keep the N newest run folders under <out>, this one included (default 10; 0 keeps all)
  --parallel N, -j       workers running scenarios side by side, this process and N-1 forked ones (default:
                         the machine's cores); 1 runs them one after the other in this process. Same results,
                         same report order
  --shard i/n            run only part i of n of the selection (a stable split by scenario), for n CI
                         runners; "domsec report merge" joins their report folders (docs/ci.md)

Ctrl-C (SIGINT) or SIGTERM lets the running scenario finish, then writes the report of the finished
scenarios marked "interrupted" and exits 130 (143 for SIGTERM); a second Ctrl-C stops at once.
Exit status: 0 no change from the expectations file, 1 a change (failure or unexpected pass),
2 usage or configuration error or nothing selected, 130/143 interrupted.

Against your own MTA (docs/external-mta.md §6), not cucumber:
  domsec run [lab] --external DOMAIN=HOST:PORT[,from=IP][,submit=HOST:PORT][,adapter=SPEC]
             [--dir D] [--port-base N] [--role receiver|sender|both] [--out DIR] [--run-id ID] [--keep N] [--quiet]
  The sender role has the adapter submit its mail and retry its queue; without an adapter that submits, it
  submits over SMTP at submit=HOST:PORT and waits for the MTA's own retries.
  Exit status: 0 no divergence, 1 a divergent check, 2 usage error or the MTA does not answer (ERR_EXTERNAL_ADDRESS),
  130/143 stopped by Ctrl-C/SIGTERM after the running check.`,
  lab: `Usage: domsec lab [lab-file | lab-name] [--seed S] [--json]

Starts the lab, sends its test messages (default: one each way), waits for every delivery to
settle and prints each message's outcome. Labs: adatum-treyresearch (default), contoso-woodgrove,
or a YAML/JSON lab file (see docs/cli.md). Protocol logs go to a folder of this run's own,
reports/lab-<name>/<time>-<pid>/logs/, so several runs can go side by side.

  --seed S               seed for names, keys and ids (default: the lab file's seed, else the lab's name)
  --json                 print the outcomes and counters as JSON instead of lines

Exit status: 0 every message delivered as expected, 1 otherwise, 2 usage or lab file error, 130 interrupted.`,
  cert: `Usage: domsec cert issue --org DOMAIN [--dir D] [--name NAME]… [--kind KIND] [--key rsa|ecdsa] [--out PREFIX]
                         [--pfx-password P] [--at INSTANT]

Issues a certificate from the issuing CA of DOMAIN's organization in the stable lab of D (its PKI in D/pki,
kept by "domsec lab up --dir D"; the lab may be running or stopped) and writes PREFIX.crt.pem, PREFIX.key.pem,
PREFIX.chain.pem (certificate, issuing CA, root) and PREFIX.pfx.

  --dir D, -d            the lab's folder (default .tmp/lab)
  --org DOMAIN           the organization whose CA issues (its primary domain)
  --name NAME            CN and first DNS name, then more DNS names (repeatable; default mail.DOMAIN)
  --kind KIND            good (default), expired, not-yet-valid, revoked (put on the CA's CRL: at once when the
                         lab runs, else at its next start), no-clientauth, no-serverauth, self-signed,
                         untrusted-ca (from a root nobody trusts), wrong-name (wrong-name.invalid)
  --key rsa|ecdsa        RSA 2048 (default) or ECDSA P-256
  --out PREFIX           where the files go (default D/issued/<name>-<kind>)
  --pfx-password P       password of the .pfx (default "domsec")
  --at INSTANT           issue relative to this instant (default: the running lab's clock, else now)`,
  'lab up': `Usage: domsec lab up [lab-file | lab-name] [--dir D] [--seed S] [--pfx-password P] [--outside IP|none]
                         [--fresh] [--port-base N] [--clock real|INSTANT] [--edge-threads N]
                         [--external DOMAIN=HOST:PORT[,from=IP][,adapter=SPEC]]...
                         [--external DOMAIN=image:NAME[,port=N][,from=IP][,adapter=SPEC]]...

Starts the lab's organizations and keeps them up until Ctrl-C or "domsec lab down --dir D". Prints each
edge's address and port and writes to D: ca/ (roots), <domain>/<edge>.{crt.pem,key.pem,chain.pem,pfx},
endpoints.json, logs/ (protocol logs as Exchange writes them), evidence.json and lab.lock.

  --dir D, -d            the lab's folder (default .tmp/lab). A lab holds a lock on it: a second "lab up"
                         on the same folder refuses and names the running pid
  --seed S               seed for names, keys and ids (default: the lab file's seed, else the lab's name)
  --outside IP           treat connections from IP like the partner's edge (added to every receive
                         connector limited by RemoteIPRanges), default 127.0.0.1; "none" to keep the lab as is
  --pfx-password P       password of the .pfx files (default "domsec")
  --fresh                issue a new PKI instead of reusing the one kept in D/pki (CA keys, edge certificates):
                         without it, every start keeps the roots, thumbprints and edge certificates of the first
  --port-base N          edge k of organization j listens on N + (j-1)*16 + (k-1); "port:" on an edge in the
                         lab file wins. A port in use is an error naming it (ERR_ADDRESS_IN_USE)
  --clock real|INSTANT   the virtual clock starts at the real time or at INSTANT (e.g. 2026-12-04T10:00:00Z),
                         and certificates are issued relative to it (default 2026-03-02T09:00:00Z)
  --edge-threads N       N worker threads own the edges' sockets and do their TLS (1-64; default 0: all on
                         the main thread). Same sessions, logs and evidence, more of the cores (docs/model-choices.md)
  --external DOMAIN=HOST:PORT[,from=IP][,adapter=SPEC]
                         the organization DOMAIN is played by an outside MTA at HOST:PORT (repeatable): no
                         simulated edge; its MX routes there; its sessions (from IP, default 127.0.0.1) are
                         recorded as hops; its certificate is in D/DOMAIN/external.* (docs/external-mta.md).
                         adapter=SPEC (last: it may hold commas and blanks) is how the harness asks that MTA
                         what SMTP cannot show and submits its mail for lab send (docs/adapter-contract.md)
  --external DOMAIN=image:NAME[,port=N][,from=IP][,adapter=SPEC]
                         the same, played by a container of image NAME that lab up starts on the host's
                         network (it listens on the from IP, default 127.0.0.1, port N or a free one) and
                         removes at stop; needs a container engine (ERR_CONTAINER_ENGINE; docs/external-mta.md)

Exit status: 0 stopped by Ctrl-C, SIGTERM or lab down; 2 usage error, lab file error, folder in use,
a port in use, a stored PKI for another lab (ERR_LAB_PKI_MISMATCH), or an image: that no container engine
can run or that exits before it listens (ERR_CONTAINER_ENGINE).`,
  'lab down': `Usage: domsec lab down [--dir D]

Stops the lab "domsec lab up --dir D" keeps running: through its control port (it writes its last
evidence and exits as on Ctrl-C), else with SIGTERM; waits until the process has exited.

  --dir D, -d            the lab's folder (default .tmp/lab)

Exit status: 0 stopped, or no lab was running; 1 it did not stop.`,
  'lab status': `Usage: domsec lab status [--dir D]

Says whether a lab runs in D, and if so its pid, the address and port of each edge and its control URL.

  --dir D, -d            the lab's folder (default .tmp/lab)

Exit status: 0 a lab is running, 1 none is.`,
  'lab send': `Usage: domsec lab send --from ADDRESS --to ADDRESS[,ADDRESS…] [--subject S] [--body B] [--dir D] [--json]

Injects a message into the lab running in D (default .tmp/lab) as if a user of the sender's
organization had sent it, waits until the delivery settles and prints the outcome.

  --from ADDRESS, -f     the sender: a user of one of the lab's organizations (required)
  --to ADDRESS, -t       recipients, comma-separated or repeated (required)
  --subject S, -s        the subject (default "Domain Security test")
  --body B, -b           the body text (default "Sent by domsec lab send.")
  --dir D, -d            the running lab's folder (default .tmp/lab)
  --json                 print the outcome as JSON

Exit status: 0 delivered, 1 not delivered (queued or returned), 2 usage or no lab running.`,
  'lab mailbox': `Usage: domsec lab mailbox [--dir D] [--parsed] [--json] ADDRESS

Prints the messages delivered to ADDRESS in the lab running in D (default .tmp/lab): raw, as an mbox
(a "From " line before each message; mutt -f and other mail tools read it), or with --parsed one block
per message: From, To, Subject, the X-MS-Exchange-Organization-Auth* headers and whether it arrived
Domain Secured (AuthAs Partner with an AuthDomain).
Exit status: 0 (also for an empty mailbox), 2 usage, an address no lab organization has, or no lab running.`,
  shell: `Usage: domsec shell [lab-file | lab-name] [--seed S] [--org DOMAIN] [--server EDGE] [-c LINE]… | --dir D …

The Exchange Management Shell (simulated cmdlets: Set-TransportConfig, New-SendConnector,
Set-ReceiveConnector, Import-ExchangeCertificate, Import-Certificate, Get-Queue, Retry-Queue, Send-MailMessage, …)
against one organization of a lab: a fresh lab in this process, or with --dir the lab that
"domsec lab up --dir D" keeps running (changes apply to it at once).
The lab's roots are files: C:\\certs\\<domain>-root.cer.

  --command LINE, -c     run LINE and exit (repeatable); without -c, lines come from the terminal or stdin
  --org DOMAIN, -o       the organization (default: the lab's first)
  --server EDGE          the edge for server-scoped cmdlets (default: the organization's first)
  --dir D, -d            attach to the lab running in D instead of starting one
  --seed S               seed of the fresh lab (default: the lab file's seed, else the lab's name)

Exit status: 0 every line succeeded, 1 a line failed, 2 usage error.`,
  'adapter check': `Usage: domsec adapter check SPEC [--from ADDRESS --to ADDRESS] [--mailbox ADDRESS] [--timeout S] [--json]

The test-kit for an MTA adapter (docs/adapter-contract.md): asks the adapter SPEC each call of the
contract once (capabilities, submit, mailbox, queues, retry, log, readings) and prints per call what
it answered, "not observable" with its reason, "malformed" (the field that is wrong) or "failed"
(exit status, HTTP status, timeout). SPEC is cmd:PATH [ARGS] (one JSON request on stdin, one JSON
answer on stdout; PATH relative to this folder) or http://HOST:PORT/BASE (each call a POST of JSON).

  --from, --to ADDRESS   ask submit with a message from --from to --to (it sends mail; without them
                         submit is skipped)
  --mailbox ADDRESS      the mailbox to read (default --to; without either, mailbox is skipped)
  --timeout S            seconds each call may take (default 10)
  --json                 print the results as JSON

Exit status: 0 every call answered or not observable, 1 a call malformed or failed, 2 usage or a SPEC
that is none of the forms.`,
  'report merge': `Usage: domsec report merge DIR… [--out DIR] [--run-id ID] [--keep N] [--quiet]

Joins the reports of the shards of one run ("domsec run --shard i/n", one per CI runner) into one
results.json, junit.xml and index.html in <out>/<run-id>/, as if the run had not been split: counts,
changes, the interop matrix and unused expectations are recomputed. Each DIR is a shard's run folder
(reports/<run-id>) or a report root whose latest/ points to one. Refused (exit 2): runs with different
seeds, selections or shard counts (ERR_MERGE_MISMATCH), runs that share a scenario or a shard
(ERR_MERGE_OVERLAP), a folder without results.json (ERR_MERGE_INPUT). A missing shard fails the merge.

  --out DIR              report root (default reports)
  --run-id ID            folder name of the merged report (default run-<seed>-<yyyymmddThhmmss>)
  --keep N               keep the N newest run folders under <out> (default 10; 0 keeps all)
  --quiet, -q            only the summary

Exit status: 0 no change from the expectations file, 1 a change or a missing shard, 2 refused.`,
  doctor: `Usage: domsec doctor [--results FILE] [--scenario NAME|ID|DS-ID] | --lab DIR | --evidence FILE  [--json]

Reads the evidence of failed deliveries and names the cause with the troubleshooting checklist
(certificate name vs connector FQDN, trust, firewall, TLS version, STARTTLS, one-sided configuration),
the DS rule and the cmdlet that fixes it.

  --results FILE         a results.json (default reports/latest/results.json); looks at failing scenarios
  --scenario X           one scenario of the results, by name, id (file:line) or DS ID
  --lab DIR              a lab session written by "domsec lab up --dir DIR"
  --evidence FILE        a JSON file with HopEvidence[] or { hops, queues }
  --json                 print the findings as JSON

Exit status: 0 no problem found, 1 problems found, 2 usage or unreadable evidence.`,
  rules: `Usage: domsec rules [ID] [--json]

Without ID: every DS rule the harness checks, by section, with its title.
With ID (e.g. DS-RECV-04): the rule's statement, where it comes from (seed file and section) and
what a user can observe (replies, log lines, counters). Scenarios, the report and doctor cite these IDs.

  --json                 the rule(s) as JSON

Exit status: 0 shown, 2 unknown ID (the nearest IDs are suggested).`,
};
