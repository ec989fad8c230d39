// Which adapter answers for an outside MTA beyond SMTP (issue 9 item 4): the one `--external …,adapter=SPEC` (or the lab
// file's external.adapter) names, else the manual, SMTP-only adapter; every call bounded (adapter-spec.ts).
import type { ExternalSpec } from '../sim/index.js';
import { adapterFromSpec } from './adapter-spec.js';
import type { MtaAdapter } from './mta-adapter.js';

export function adapterForExternal(ext: ExternalSpec, cwd: string): MtaAdapter {
  return adapterFromSpec(ext.adapter ?? 'manual', { cwd });
}
