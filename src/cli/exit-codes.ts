// What `domsec` exit statuses mean, for CI scripts and shells: one table, documented in docs/cli.md.

export const EXIT = {
  /** Everything as expected (run: no change from expectations.json; lab: every message delivered; doctor: no problem found). */
  ok: 0,
  /** Failures (run: a change from expectations.json; lab: a message not delivered; doctor: problems found). */
  failures: 1,
  /** Usage or configuration error: bad option, unknown profile, invalid expectations or lab file, nothing selected. */
  usage: 2,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, what a shell reports for a program the signal ended. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
