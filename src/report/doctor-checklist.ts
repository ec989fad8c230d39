// The troubleshooting checklist of seed 000 (Microsoft's Domain Security guidance), as the vocabulary doctor's findings use.

export type CheckId = 'certificate-name' | 'trust' | 'firewall' | 'tls-version' | 'starttls-log' | 'both-sides';

export interface ChecklistItem {
  id: CheckId;
  /** A short name for output headings. */
  title: string;
  /** The checklist line, as seed 000 words it. */
  text: string;
}

export const CHECKLIST: Record<CheckId, ChecklistItem> = {
  'certificate-name': {
    id: 'certificate-name',
    title: 'certificate name vs connector FQDN',
    text: 'Verify whether the name of the servers is correctly configured in Domain Security settings to match the common name in the certificate used for TLS.',
  },
  trust: {
    id: 'trust',
    title: 'certificate trust',
    text: 'Verify whether the certificate issued to the Mailbox servers in the Domain Security configuration is trusted.',
  },
  firewall: {
    id: 'firewall',
    title: 'firewall',
    text: "Verify whether the firewall at your partner organization doesn't block connections from your organization mailbox servers.",
  },
  'tls-version': {
    id: 'tls-version',
    title: 'TLS version',
    text: 'Verify whether your partner company is using supported versions of Exchange and TLS.',
  },
  'starttls-log': {
    id: 'starttls-log',
    title: 'STARTTLS in the protocol logs',
    text: 'Review send and receive protocol logs for STARTTLS events that are marked successful.',
  },
  'both-sides': {
    id: 'both-sides',
    title: 'one-sided configuration',
    text: "Connector security must be configured on both sides--sending and receiving. Contact your partner's administrator to configure your domain for connector security.",
  },
};

export interface Finding {
  check: CheckId;
  /** The DS rule from BEHAVIOUR.md that the evidence shows was broken. */
  dsRule: string;
  /** The hop (or queue) the finding is about. */
  hop?: string;
  /** The organization whose administrator must act. */
  org: string;
  /** One or two sentences: what the evidence shows. */
  finding: string;
  /** The cmdlet line(s) to run, in the organization named by `org`. */
  fix: string[];
  /**
   * Set when the problem no longer stands: a later attempt delivered every message of the hop(s) it was found on
   * (the hop that did). doctor judges each message by its latest attempt and lists these as fixed, not as failures.
   */
  fixedBy?: string;
}
