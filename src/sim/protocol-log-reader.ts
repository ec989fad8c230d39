// Reads protocol log CSV back into sessions (DS-LOG-02), so checks and reports see the log as a reader of the files would.

export interface LoggedSession {
  id: string;
  rows: { sequence: number; event: string }[];
}

/** Splits CSV text (as ProtocolLog.text() gives it) into sessions by session-id, in order of appearance. */
export function sessionsOf(text: string): LoggedSession[] {
  const byId = new Map<string, LoggedSession>();
  for (const line of text.split('\r\n')) {
    if (!line || line.startsWith('#')) continue;
    // A short or damaged row is kept under the id it has ('' when none), so the well-formed check shows it, never throws.
    const f = splitCsv(line);
    const id = f[2] ?? '';
    const s = byId.get(id) ?? { id, rows: [] };
    s.rows.push({ sequence: f[3] !== undefined && /^\d+$/.test(f[3]) ? Number(f[3]) : Number.NaN, event: f[6] ?? '' });
    byId.set(id, s);
  }
  return [...byId.values()];
}

/** Sequence numbers 0,1,2… and the first and last events as given (`+` connect, `-` disconnect). */
export function isWellFormedSession(s: LoggedSession, open = '+', close = '-'): boolean {
  return s.rows.every((r, i) => r.sequence === i) && s.rows[0]?.event === open && s.rows.at(-1)?.event === close;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
