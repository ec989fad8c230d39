#!/usr/bin/env python3
"""A domsec adapter (docs/adapter-contract.md, v1) for an Exim 4 instance: python3 standard library only.

    domsec adapter check "cmd:python3 docs/external-mta/exim-shim.py /path/to/exim.conf [MAILDIR]"

One JSON request on stdin, one JSON answer on stdout, exit 0; exit 1 with a sentence on stderr when Exim cannot be
asked. CONFIG is the configuration file the daemon runs with (exim -C CONFIG). The binary is $EXIM, else the config's
exim_path, else exim4 or exim on PATH. MAILDIR, where local mail lands, defaults to the `directory =` of the config's
first maildir_format transport. The log must be a file (log_file_path), not syslog. Copy and change freely.
"""
import email.utils, json, os, re, shutil, subprocess, sys, time
from email.parser import Parser

LOG_TAIL_BYTES = 3 * 1024 * 1024  # the harness reads at most 4 MiB per answer
MESSAGE_ID = r"[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2,4}"

# Exim's words -> DS outcomes, first match wins (a short form of src/peers/exim/exim-error-map.ts, without the lines
# only domsec's rendered policy writes). (phrase, rule, outcome)
ERROR_MAP = [
    (r"=> .*X=\S+ CV=yes", "DS-SEND-06", "delivered"),
    (r"=> .* H=", "DS-CONF-01", "delivered"),
    (r"a TLS session is required, but the server did not offer TLS support", "DS-SEND-02", "deferred"),
    (r"a TLS session is required, but an attempt to start TLS failed|SMTP error from remote mail server after STARTTLS", "DS-SEND-02", "deferred"),
    (r"SSL verify denied by event-action: depth=0: .*\bname", "DS-SEND-04", "deferred"),  # exim.conf's own name check
    (r"TLS session: \(certificate verification failed\).*(name|hostname)|certificate name mismatch", "DS-SEND-04", "deferred"),
    (r"TLS session: \(certificate verification failed\)", "DS-SEND-05", "deferred"),
    (r"TLS session: \((gnutls_handshake|SSL_connect)\)|TLS session: error on first read", "DS-SEND-03", "deferred"),
    (r"defer .*(Connection refused|Connection timed out|Connection reset by peer|Remote host closed connection)", "DS-QUEUE-06", "deferred"),
    (r"SMTP error from remote mail server after MAIL FROM:.*: 530 5\.7\.1 ", "DS-RECV-04", "bounced"),
    (r"SMTP error from remote mail server after MAIL FROM:.*: 454 4\.7\.5 ", "DS-RECV-06", "deferred"),
    (r"retry timeout exceeded", "DS-QUEUE-05", "bounced"),
    (r"rejected MAIL <[^>]*>.*(530|Not authenticated)", "DS-RECV-04", "rejected"),
    (r"<= \S+ .*CV=yes", "DS-RECV-07", "accepted"),
    (r"<= \S+ .*H=", "DS-RECV-07", "accepted"),
]


class Failed(Exception):
    pass


def exim_binary():
    if os.environ.get("EXIM"):
        return os.environ["EXIM"]
    with open(CONFIG, encoding="utf-8", errors="replace") as f:
        m = re.search(r"^\s*exim_path\s*=\s*(\S+)", f.read(), re.M)
    return m[1] if m else shutil.which("exim4") or shutil.which("exim") or "/usr/sbin/exim4"


def run(args, stdin=None):
    r = subprocess.run([EXIM, "-C", CONFIG] + args, input=stdin, capture_output=True, text=True, timeout=8)
    if r.returncode != 0:
        raise Failed(f"exim {' '.join(args[:1])} exited {r.returncode}: {(r.stderr.strip().splitlines() or [''])[-1]}")
    return r.stdout


def setting(name):
    out = run(["-bP", name]).strip()
    return out.split("=", 1)[1].strip() if "=" in out else ""


def mainlog():
    """The mainlog's path, or None when Exim logs to syslog only."""
    paths = [p for p in setting("log_file_path").split(":") if p.strip() and p.strip() != "syslog"]
    if not paths and "syslog" in setting("log_file_path"):
        return None
    path = paths[0].strip() if paths else os.path.join(setting("spool_directory"), "log", "%slog")
    return path.replace("%s", "main").replace("%D", time.strftime("%Y%m%d")).replace("%M", time.strftime("%Y%m"))


def read_log():
    path = mainlog()
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - LOG_TAIL_BYTES))
            return f.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []


def maildir():
    if MAILDIR:
        return MAILDIR
    with open(CONFIG, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # The first transport block that has maildir_format: its directory.
    for block in re.split(r"\n(?=\S+:\s*\n)", text):
        if re.search(r"^\s*maildir_format\b", block, re.M):
            m = re.search(r"^\s*directory\s*=\s*(\S+)", block, re.M)
            if m:
                return m[1]
    return None


def submit(m):
    host = setting("primary_hostname")
    mid = m.get("messageId") or email.utils.make_msgid(domain=host).strip("<>")
    head = {"From": m["from"], "To": ", ".join(m["to"]), "Subject": m["subject"], "Date": email.utils.formatdate(), "Message-ID": f"<{mid}>"}
    head.update(m.get("headers") or {})
    text = "".join(f"{k}: {v}\n" for k, v in head.items()) + "\n" + m["body"] + "\n"
    run(["-f", m["from"], "-i", "--"] + m["to"], stdin=text)
    return {"messageId": mid}


def mailbox(address):
    where = maildir()
    if where is None:
        return {"notObservable": "no maildir_format transport in the config: give the Maildir as the shim's second argument"}
    files = []
    for sub in ("new", "cur"):
        d = os.path.join(where, sub)
        files += [os.path.join(d, f) for f in os.listdir(d)] if os.path.isdir(d) else []
    out, host = [], setting("primary_hostname")
    for path in sorted(files, key=os.path.basename):
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        msg = Parser().parsestr(raw, headersonly=True)
        first = {}
        for k, v in msg.items():
            first.setdefault(k.lower(), " ".join(str(v).split()))
        to = [a.lower() for _, a in email.utils.getaddresses(msg.get_all("envelope-to") or msg.get_all("to") or [])]
        if address.lower() not in to:
            continue
        m = {"messageId": first.get("message-id", "").strip("<>"), "from": email.utils.parseaddr(first.get("return-path") or first.get("from", ""))[1],
             "to": to, "subject": first.get("subject", ""), "headers": first, "raw": raw, "receivedBy": host}
        auth_as, auth_domain = first.get("x-ms-exchange-organization-authas"), first.get("x-ms-exchange-organization-authdomain")
        if auth_as in ("Partner", "Anonymous"):
            m["authAs"] = auth_as
        if auth_domain:
            m["authDomain"] = auth_domain
        m["domainSecured"] = auth_as == "Partner" and bool(auth_domain)
        out.append(m)
    return {"messages": out}


def queues():
    """`exim -bp` says what waits; the mainlog's last "==" line per recipient says why (Exim keeps no reason in -bp)."""
    log = read_log() or []
    per, current = {}, None
    for line in run(["-bp"]).splitlines():
        h = re.match(rf"^\s*\S+\s+\S+\s+({MESSAGE_ID})\s+<[^>]*>(\s+\*\*\* frozen \*\*\*)?", line)
        if h:
            current = (h[1], bool(h[2]))
            continue
        r = re.match(r"^\s+(D\s+)?(\S+@\S+)\s*$", line)
        if not r or not current or r[1]:
            continue
        address = r[2]
        domain = address.rsplit("@", 1)[-1].lower()
        q = per.setdefault(domain, {"nextHopDomain": domain, "status": "Ready", "messageCount": 0, "ids": set()})
        if current[0] not in q["ids"]:
            q["ids"].add(current[0])
            q["messageCount"] += 1
        last = [l for l in log if f" {current[0]} == {address} " in l and "retry time not reached" not in l]
        if current[1]:
            q["status"] = "Suspended"
        elif last:
            q["status"] = "Retry"
        if last:
            q["lastError"] = re.sub(r"^.*? defer \(-?\d+\)(: )?", "", last[-1])
    return {"queues": [{k: v for k, v in q.items() if k != "ids"} for q in per.values()]}


def retry():
    # -qff: every message now, retry times and freezing ignored (Exchange's Retry-Queue). The queue runner is left to
    # work on its own, as postqueue -f does: a partner that never answers would hold it past the harness's bound.
    subprocess.Popen([EXIM, "-C", CONFIG, "-qff"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return {"ok": True}


def readings():
    lines = read_log()
    if lines is None:
        return {"notObservable": "Exim logs to syslog only (log_file_path)"}
    out, denied = [], set()
    for line in lines:
        mid = (re.match(rf"^\S+ \S+ ({MESSAGE_ID}) ", line) or [None, ""])[1]
        for phrase, rule, outcome in ERROR_MAP:
            if re.search(phrase, line):
                # An event-action denial and the handshake failure Exim logs right after it are one failure.
                if "verify denied by event-action" in line:
                    denied.add(mid)
                elif rule == "DS-SEND-03" and mid in denied:
                    denied.discard(mid)
                    break
                out.append({"rule": rule, "outcome": outcome, "phrase": line})
                break
    return {"readings": out}


def answer(req):
    call = req.get("call")
    if req.get("v") != 1:
        return {"notObservable": f"this shim speaks v1, not {req.get('v')!r}"}
    if call == "capabilities":
        return {"v": 1, "name": "Exim (exim-shim.py)", "calls": ["submit", "mailbox", "queues", "retry", "log", "readings"]}
    if call == "submit":
        return submit(req["message"])
    if call == "mailbox":
        return mailbox(req["address"])
    if call == "queues":
        return queues()
    if call == "retry":
        return retry()
    if call == "log":
        lines = read_log()
        return {"notObservable": "Exim logs to syslog only (log_file_path)"} if lines is None else {"lines": lines}
    if call == "readings":
        return readings()
    return {"notObservable": f"this shim does not know the call {call!r}"}


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: exim-shim.py CONFIG [MAILDIR]")
    CONFIG = os.path.abspath(sys.argv[1])
    MAILDIR = sys.argv[2] if len(sys.argv) == 3 else None
    try:
        EXIM = exim_binary()
        print(json.dumps(answer(json.load(sys.stdin))))
    except (Failed, subprocess.TimeoutExpired, OSError, KeyError, ValueError) as e:
        sys.exit(f"exim-shim: {e}")
