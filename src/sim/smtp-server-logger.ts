// smtp-server's logger, turned into protocol-log lines: its debug entries carry every command (`C:`) and reply (`S:`)
// with the connection id, which names the receive session. The protocol log reads only `tnx`, `cid` and the arguments.
import type { ReceiveSession } from './receive-session.js';

export function smtpServerLogger(sessionOf: (id: string) => ReceiveSession | undefined) {
  return {
    debug: (meta: { tnx?: string; cid?: string }, ...args: unknown[]) => {
      const s = meta.cid ? sessionOf(meta.cid) : undefined;
      if (!s) return;
      if (meta.tnx === 'command' && args[0] === 'C:') {
        const line = String(args[1]);
        s.line('<', line);
        s.startTlsPending = /^STARTTLS\s*$/i.test(line);
      } else if (meta.tnx === 'send' && args[0] === 'S:') {
        const reply = String(args[1]);
        s.line('>', reply);
        // Seed 004: `>220 2.0.0 SMTP server ready`, then the certificate the server is about to present.
        if (s.startTlsPending && reply.startsWith('220 ')) s.onStartTlsCommand();
        s.startTlsPending = false;
      }
    },
    info: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined, fatal: () => undefined,
    child() { return this; },
  };
}
