// Help texts for `domsec` and each subcommand (docs/cli.md says the same at more length).

export const USAGE: Record<string, string> = {
  main: `Usage: domsec <command> [options]

Commands:
  run [paths…]           run the conformance catalogue (features/) and write reports/<run-id>/ (reports/latest points to it)
  lab [lab-file]         run a lab once: send its test messages and print what happened
  lab up [lab-file]      start a lab and keep it up until Ctrl-C, for swaks, openssl s_client or a real MTA
  lab send               inject a message into a running lab
  lab mailbox ADDRESS    print the messages delivered to a mailbox of a running lab (--parsed: headers only)
  doctor                 name the cause of a failed delivery from its evidence, with the fix
  shell                  the Exchange Management Shell against a lab organization (or a running lab with --dir)
Exit status: 0 everything as expected, 1 failures, 2 usage or configuration error.
Run "domsec <command> --help" for a command's options.`,
  run: `Usage: domsec run [--tags EXPR] [--profile NAME]… [--seed S] [options] [feature paths…]

Runs the scenarios of cucumber.mjs (features/**/*.feature unless paths are given) and writes
results.json, junit.xml and index.html to <out>/<run-id>/; <out>/latest points to it (a symlink).

  --tags EXPR            cucumber tag expression, e.g. "@DS-RECV-04 or @area-send"
  --profile NAME         a cucumber.mjs profile (repeatable): interop-postfix, interop-exim = a real MTA as treyresearch.net
  --seed S               seed for the simulation (default "domsec"); passed to the World as parameters.seed
  --run-id ID            report folder name (default run-<seed>-<yyyymmddThhmmss>, UTC wall clock)
  --out DIR              report root (default reports)
  --expectations FILE    known divergences (default expectations.json)
  --config FILE          cucumber configuration file (default cucumber.mjs)
  --name REGEX           only scenarios whose name matches (repeatable)
  --quiet                no progress lines, only the summary
  --keep N               keep the N newest run folders under <out>, this one included (default 10; 0 keeps all)

Exit status: 0 no change from the expectations file, 1 a change (failure or unexpected pass), 2 usage or configuration error.`,
  lab: `Usage: domsec lab [lab-file | lab-name] [--seed S] [--json]

Starts the lab, sends its test messages (default: one each way), waits for every delivery to
settle and prints each message's outcome. Labs: adatum-treyresearch (default), contoso-woodgrove,
or a YAML/JSON lab file (see docs/cli.md).

Exit status: 0 every message delivered as expected, 1 otherwise, 2 usage or lab file error.`,
  'lab up': `Usage: domsec lab up [lab-file | lab-name] [--dir D] [--seed S] [--pfx-password P] [--outside IP|none]

Starts the lab's organizations and keeps them up until Ctrl-C. Prints each edge's address and
port and writes to D (default .tmp/lab): ca/ (roots), <domain>/<edge>.{crt.pem,key.pem,chain.pem,pfx},
endpoints.json, logs/ (protocol logs as Exchange writes them) and evidence.json.

  --outside IP           treat connections from IP like the partner's edge (added to every receive
                         connector limited by RemoteIPRanges), default 127.0.0.1; "none" to keep the lab as is
  --pfx-password P       password of the .pfx files (default "domsec")`,
  'lab send': `Usage: domsec lab send --from ADDRESS --to ADDRESS[,ADDRESS…] [--subject S] [--body B] [--dir D] [--json]

Injects a message into the lab running in D (default .tmp/lab) as if a user of the sender's
organization had sent it, waits until the delivery settles and prints the outcome.
Exit status: 0 delivered, 1 not delivered (queued or returned), 2 usage or no lab running.`,
  'lab mailbox': `Usage: domsec lab mailbox [--dir D] [--parsed] [--json] ADDRESS

Prints the messages delivered to ADDRESS in the lab running in D (default .tmp/lab): raw, as an mbox
(a "From " line before each message; mutt -f and other mail tools read it), or with --parsed one block
per message: From, To, Subject, the X-MS-Exchange-Organization-Auth* headers and whether it arrived
Domain Secured (AuthAs Partner with an AuthDomain).
Exit status: 0 (also for an empty mailbox), 2 usage, an address no lab organization has, or no lab running.`,
  shell: `Usage: domsec shell [lab-file | lab-name] [--org DOMAIN] [--server EDGE] [-c LINE]… | --dir D …

The Exchange Management Shell (simulated cmdlets: Set-TransportConfig, New-SendConnector,
Set-ReceiveConnector, Import-ExchangeCertificate, Import-Certificate, Get-Queue, Retry-Queue, Send-MailMessage, …)
against one organization of a lab: a fresh lab in this process, or with --dir the lab that
"domsec lab up --dir D" keeps running (changes apply to it at once).
The lab's roots are files: C:\\certs\\<domain>-root.cer.

  -c LINE                run LINE and exit (repeatable); without -c, lines come from the terminal or stdin
  --org DOMAIN           the organization (default: the lab's first)
  --server EDGE          the edge for server-scoped cmdlets (default: the organization's first)

Exit status: 0 every line succeeded, 1 a line failed, 2 usage error.`,
  doctor: `Usage: domsec doctor [--results FILE] [--scenario NAME|ID|DS-ID] | --lab DIR | --evidence FILE  [--json]

Reads the evidence of failed deliveries and names the cause with the troubleshooting checklist
(certificate name vs connector FQDN, trust, firewall, TLS version, STARTTLS, one-sided configuration),
the DS rule and the cmdlet that fixes it.

  --results FILE         a results.json (default reports/latest/results.json); looks at failing scenarios
  --scenario X           one scenario of the results, by name, id (file:line) or DS ID
  --lab DIR              a lab session written by "domsec lab up --dir DIR"
  --evidence FILE        a JSON file with HopEvidence[] or { hops, queues }

Exit status: 0 no problem found, 1 problems found, 2 usage or unreadable evidence.`,
};
