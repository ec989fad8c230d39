// Vitest global setup: the run gets its own temporary root, removed when the run ends. Tests make temp dirs with
// mkdtemp(tmpdir()) in hooks and helpers where no single test owns them; without this, a run left ~57 of them in /tmp.
// os.tmpdir() reads TMPDIR on every call; the test workers, and the CLI runs and MTAs they start, inherit it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const outer = process.env.TMPDIR;
  // Short: MTA peers make their folders below it, and their Unix sockets below those (instance-dir.ts keeps to sun_path).
  const root = mkdtempSync(join(tmpdir(), 'dtest-'));
  // MTAs drop privileges and must pass through it to their own folders, as through /tmp (instance-dir.ts gives 0711 too).
  chmodSync(root, 0o711);
  process.env.TMPDIR = root;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(root, { recursive: true, force: true });
  };
}
