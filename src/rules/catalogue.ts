// The DS rule catalogue: every rule's statement, sources and observable signs, from catalogue.json inside the repository.
// It sits below every layer (beside src/errors.ts) so the report, the console, junit.xml and doctor can all show a rule's
// statement next to its ID without reading anything outside the checkout.
import { readFileSync } from 'node:fs';

export interface RuleSource {
  /** `000`…`004` (a seed file), `public` (public Exchange documentation) or `model` (a documented model choice). */
  seed: string;
  section: string;
}

export interface Rule {
  id: string;
  title: string;
  statement: string;
  sources: RuleSource[];
  observable: string;
}

interface CatalogueFile {
  seeds: Record<string, string>;
  sections: Record<string, { number: number; title: string }>;
  rules: Rule[];
}

// Read once, as data: scripts/ds-coverage.mjs reads the same file without TypeScript.
const FILE = JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')) as CatalogueFile;

export const RULES: readonly Rule[] = FILE.rules;
const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** `DS-RECV-04` → its rule; case-insensitive, undefined for an unknown ID. */
export function findRule(id: string): Rule | undefined {
  return BY_ID.get(id.trim().toUpperCase());
}

/** The rule's family (`RECV`), its section number and title in the catalogue. */
export function ruleSection(id: string): { family: string; number: number; title: string } | undefined {
  const family = /^DS-([A-Z]+)-\d+$/.exec(id.toUpperCase())?.[1];
  const s = family ? FILE.sections[family] : undefined;
  return s && family ? { family, ...s } : undefined;
}

/** "seed 004 (TechNet: How to Configure …), Test mail flow …" */
export function describeSource(s: RuleSource): string {
  const what = FILE.seeds[s.seed];
  const head = /^\d+$/.test(s.seed) ? `seed ${s.seed}${what ? ` (${what})` : ''}` : what ?? s.seed;
  return `${head}: ${s.section}`;
}

/** One line for places with little room (console, junit message, tooltips): `DS-RECV-04 Listed sender with TLS but no client certificate`. */
export function ruleLabel(id: string): string {
  const r = findRule(id);
  return r ? `${r.id} ${r.title}` : id;
}

/** `DS-RECV-04 (Listed sender …): A listed sender that …` or just the ID when the catalogue does not know it. */
export function ruleWithStatement(id: string): string {
  const r = findRule(id);
  return r ? `${r.id} (${r.title}): ${r.statement}` : id;
}
