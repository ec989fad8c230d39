// Named misbehaviours of a simulated edge as a peer (BoGo ProtocolBugs style): each one a documented switch, never a test branch.

export interface EdgeQuirks {
  /**
   * The receive side asks every client for a certificate and fails the TLS handshake itself when the certificate does
   * not chain to one of its trusted roots (OpenSSL `rejectUnauthorized`), instead of accepting the session and deciding at
   * MAIL FROM as Exchange does. Models a remote that "rejects our certificate" (DS-SEND-03: `421 4.4.1`).
   */
  rejectUntrustedClientCertificateInHandshake?: boolean;
  /**
   * STARTTLS is advertised in the EHLO reply but the command is answered `454 4.7.0 TLS not available due to temporary
   * reason` (a peer whose TLS is broken). DS-SEND-02: "STARTTLS is refused" defers a secure domain, never plain text.
   */
  refuseStartTls?: boolean;
}

export const QUIRK_DESCRIPTIONS: Record<keyof EdgeQuirks, string> = {
  rejectUntrustedClientCertificateInHandshake: 'fails the TLS handshake on a client certificate it does not trust',
  refuseStartTls: 'advertises STARTTLS and refuses the command with 454 4.7.0',
};

/** The refuseStartTls quirk: this session's STARTTLS handler answers 454 instead of upgrading. */
export function refuseStartTls(conn: unknown): void {
  const c = conn as { send(code: number, text: string): void; handler_STARTTLS(command: Buffer, cb: () => void): void };
  c.handler_STARTTLS = (_command, cb) => {
    c.send(454, '4.7.0 TLS not available due to temporary reason');
    cb();
  };
}
