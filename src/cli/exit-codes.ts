// What `domsec` exit statuses mean, for CI scripts and shells: one table, documented in docs/cli.md.

export const EXIT = {
  /** Everything as expected (run: no change from expectations.json; lab: every message delivered; doctor: no problem found). */
  ok: 0,
  /** Failures (run: a change from expectations.json; lab: a message not delivered; doctor: problems found). */
  failures: 1,
  /** Usage or configuration error: bad option, unknown profile, invalid expectations or lab file. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
