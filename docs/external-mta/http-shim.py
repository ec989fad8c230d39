#!/usr/bin/env python3
"""Serves a cmd: adapter over HTTP (docs/adapter-contract.md, v1): python3 standard library only.

    python3 http-shim.py 8025 -- python3 postfix-shim.py /etc/postfix
    domsec adapter check http://mta-host:8025/

Each POST runs COMMAND once with the request body on stdin; its stdout is the 200 answer, a failure is a 500
with the last line it wrote to stderr. Listens on 127.0.0.1 unless HTTP_SHIM_BIND says otherwise: anyone who
reaches it can submit mail and read mailboxes, so put it only where the harness alone reaches it.
"""
import os, subprocess, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_REQUEST = 1024 * 1024


class Shim(BaseHTTPRequestHandler):
    def do_POST(self):
        size = int(self.headers.get("content-length") or 0)
        if size > MAX_REQUEST:
            return self.reply(413, b"request too large\n")
        body = self.rfile.read(size)
        try:
            r = subprocess.run(COMMAND, input=body, capture_output=True, timeout=9)
        except (OSError, subprocess.TimeoutExpired) as e:
            return self.reply(500, f"{e}\n".encode())
        if r.returncode != 0:
            last = (r.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit {r.returncode}"])[-1]
            return self.reply(500, f"{last}\n".encode())
        self.reply(200, r.stdout, "application/json")

    def reply(self, status, body, kind="text/plain"):
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: http-shim.py PORT -- COMMAND [ARGS...]")
    COMMAND = sys.argv[3:]
    server = ThreadingHTTPServer((os.environ.get("HTTP_SHIM_BIND", "127.0.0.1"), int(sys.argv[1])), Shim)
    print(f"http-shim: serving {' '.join(COMMAND)} at http://{server.server_address[0]}:{server.server_address[1]}/", flush=True)
    server.serve_forever()
