#!/usr/bin/env python3
"""A domsec adapter (docs/adapter-contract.md, v1) for a Postfix instance: python3 standard library only.

    domsec adapter check "cmd:python3 docs/external-mta/postfix-shim.py /path/to/postfix/etc [MAILDIR]"

One JSON request on stdin, one JSON answer on stdout, exit 0; exit 1 with a sentence on stderr when Postfix
cannot be asked. CONFIG is the instance's config folder (postfix -c / MAIL_CONFIG); MAILDIR, where local mail
lands, defaults to <virtual_mailbox_base>/inbox (docs/external-mta/postfix-main.cf). Copy and change freely.
"""
import email.utils, json, os, re, subprocess, sys
from email.parser import Parser

SBIN = os.environ.get("POSTFIX_SBIN", "/usr/sbin")
LOG_TAIL_BYTES = 3 * 1024 * 1024  # the harness reads at most 4 MiB per answer

# Postfix's words -> DS outcomes, first match wins (a short form of src/peers/postfix/postfix-error-map.ts).
# (phrase, rule, outcome, context the same process logged earlier or None)
ERROR_MAP = [
    (r"smtp\[\d+\]: \w+: to=.*relay=(?!virtual|none).*status=sent", "DS-SEND-06", "delivered", r"Verified TLS connection established to"),
    (r"smtp\[\d+\]: \w+: to=.*relay=(?!virtual|none).*status=sent", "DS-CONF-01", "delivered", None),
    (r"Server certificate not (verified|trusted)", "DS-SEND-04", "deferred", r"hostname mismatch"),
    (r"Server certificate not (verified|trusted)", "DS-SEND-05", "deferred", None),
    (r"TLS is required, but was not offered", "DS-SEND-02", "deferred", None),
    (r"TLS is required, but host .* refused to start TLS", "DS-SEND-02", "deferred", None),
    (r"status=deferred \(lost connection with .* while performing the EHLO handshake", "DS-SEND-03", "deferred", r"TLS connection established to"),
    (r"Cannot start TLS: handshake failure|while performing the TLS handshake", "DS-SEND-03", "deferred", None),
    (r"status=(deferred|bounced).*(Connection refused|Connection timed out|connect to .* timed out)", "DS-QUEUE-06", "deferred", None),
    (r"status=(deferred|bounced).* said: 530 5\.7\.1 .*Not authenticated", "DS-RECV-04", "bounced", None),
    (r"status=(deferred|bounced).* said: 454 4\.7\.5 ", "DS-RECV-06", "deferred", None),
    (r"status=expired|message expired", "DS-QUEUE-05", "bounced", None),
    (r"reject: MAIL from .*: 530 5\.7\.1 .*Not authenticated", "DS-RECV-04", "rejected", r"TLS connection established from"),
    (r"reject: MAIL from .*: 530 5\.7\.1 .*Not authenticated", "DS-RECV-02", "rejected", None),
    (r"reject: MAIL from .*: 454 4\.7\.5 ", "DS-RECV-06", "rejected", None),
    (r"smtpd\[\d+\]: \w+: client=", "DS-RECV-07", "accepted", r"Trusted TLS connection established from"),
]


class Failed(Exception):
    pass


def run(args, stdin=None):
    env = dict(os.environ, MAIL_CONFIG=CONFIG)
    flag = "-C" if args[0] == "sendmail" else "-c"  # sendmail's -c is something else
    r = subprocess.run([os.path.join(SBIN, args[0]), flag, CONFIG] + args[1:], input=stdin, capture_output=True, text=True, env=env, timeout=8)
    if r.returncode != 0:
        raise Failed(f"{args[0]} exited {r.returncode}: {(r.stderr.strip().splitlines() or [''])[-1]}")
    return r.stdout


def postconf(name):
    return run(["postconf", "-h", name]).strip()


def read_log():
    path = postconf("maillog_file")
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - LOG_TAIL_BYTES))
            return f.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []


def submit(m):
    host = postconf("myhostname")
    mid = m.get("messageId") or email.utils.make_msgid(domain=host).strip("<>")
    head = {"From": m["from"], "To": ", ".join(m["to"]), "Subject": m["subject"], "Date": email.utils.formatdate(), "Message-ID": f"<{mid}>"}
    head.update(m.get("headers") or {})
    text = "".join(f"{k}: {v}\n" for k, v in head.items()) + "\n" + m["body"] + "\n"
    run(["sendmail", "-f", m["from"], "-i", "--"] + m["to"], stdin=text)
    return {"messageId": mid}


def mailbox(address):
    maildir = MAILDIR or os.path.join(postconf("virtual_mailbox_base"), "inbox")
    files = []
    for sub in ("new", "cur"):
        d = os.path.join(maildir, sub)
        files += [os.path.join(d, f) for f in os.listdir(d)] if os.path.isdir(d) else []
    out, host = [], postconf("myhostname")
    for path in sorted(files, key=os.path.basename):
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        msg = Parser().parsestr(raw, headersonly=True)
        first = {}
        for k, v in msg.items():
            first.setdefault(k.lower(), " ".join(str(v).split()))
        to = [a.lower() for _, a in email.utils.getaddresses(msg.get_all("delivered-to") or msg.get_all("to") or [])]
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
    per = {}
    for line in run(["postqueue", "-j"]).splitlines():
        if not line.startswith("{"):
            continue
        j = json.loads(line)
        for r in j["recipients"]:
            domain = r["address"].rsplit("@", 1)[-1].lower()
            q = per.setdefault(domain, {"nextHopDomain": domain, "status": "Ready", "messageCount": 0, "ids": set()})
            if j["queue_id"] not in q["ids"]:
                q["ids"].add(j["queue_id"])
                q["messageCount"] += 1
            if r.get("delay_reason"):
                q["status"], q["lastError"] = "Retry", r["delay_reason"]
            elif j["queue_name"] == "active" and q["status"] == "Ready":
                q["status"] = "Active"
    return {"queues": [{k: v for k, v in q.items() if k != "ids"} for q in per.values()]}


def readings():
    lines = read_log()
    if lines is None:
        return {"notObservable": "Postfix has no maillog_file (it logs to syslog)"}
    out, seen = [], {}
    for line in lines:
        key = (re.search(r"postfix/([a-z-]+\[\d+\])", line) or [None, ""])[1]
        if ": connect from " in line:
            seen[key] = []
        ctx = seen.get(key, [])
        for phrase, rule, outcome, context in ERROR_MAP:
            if re.search(phrase, line) and (context is None or any(re.search(context, c) for c in ctx)):
                out.append({"rule": rule, "outcome": outcome, "phrase": line})
                break
        seen[key] = [] if ("status=" in line and key.startswith("smtp[")) else (ctx + [line])[-20:]
    return {"readings": out}


def answer(req):
    call = req.get("call")
    if req.get("v") != 1:
        return {"notObservable": f"this shim speaks v1, not {req.get('v')!r}"}
    if call == "capabilities":
        return {"v": 1, "name": "Postfix (postfix-shim.py)", "calls": ["submit", "mailbox", "queues", "retry", "log", "readings"]}
    if call == "submit":
        return submit(req["message"])
    if call == "mailbox":
        return mailbox(req["address"])
    if call == "queues":
        return queues()
    if call == "retry":
        run(["postqueue", "-f"])
        return {"ok": True}
    if call == "log":
        lines = read_log()
        return {"notObservable": "Postfix has no maillog_file (it logs to syslog)"} if lines is None else {"lines": lines}
    if call == "readings":
        return readings()
    return {"notObservable": f"this shim does not know the call {call!r}"}


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: postfix-shim.py CONFIG_DIR [MAILDIR]")
    CONFIG = os.path.abspath(sys.argv[1])
    try:
        MAILDIR = sys.argv[2] if len(sys.argv) == 3 else None  # read from main.cf when a mailbox is asked for
        print(json.dumps(answer(json.load(sys.stdin))))
    except (Failed, subprocess.TimeoutExpired, OSError, KeyError, ValueError) as e:
        sys.exit(f"postfix-shim: {e}")
