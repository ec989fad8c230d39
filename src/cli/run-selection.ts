// What `domsec run` selects, checked before anything runs: a selection of nothing is an error that says why, never a green run.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { shownPath } from './cli-io.js';

type Api = typeof import('@cucumber/cucumber/api');
type Sources = Awaited<ReturnType<Api['loadConfiguration']>>['runConfiguration']['sources'];
type Environment = Parameters<Api['loadSources']>[1];

/** The file names cucumber looks for when no --config is given. */
const CONFIG_NAMES = ['cucumber.js', 'cucumber.cjs', 'cucumber.mjs', 'cucumber.json', 'cucumber.yaml', 'cucumber.yml'];

export interface SelectionWords {
  cwd: string;
  configGiven: boolean;
  paths: string[];
  tags?: string;
  names?: string[];
  profile?: string;
}

/** Tags written in the feature files the selection would read without its tag filter, for "Did you mean …?". */
async function knownTags(api: Api, sources: Sources, environment: Environment): Promise<string[]> {
  const { plan } = await api.loadSources({ ...sources, tagExpression: '', names: [] }, environment);
  const tags = new Set<string>();
  for (const uri of new Set(plan.map((p) => p.uri))) {
    try {
      for (const m of readFileSync(resolve(environment?.cwd ?? '.', uri), 'utf8').matchAll(/(?:^|\s)(@[^\s@#]+)/gm)) tags.add(m[1]);
    } catch {
      // unreadable: cucumber says so when it runs
    }
  }
  return [...tags].sort();
}

/** The one sentence that says why nothing was selected, most specific reason first. */
async function whyNothing(api: Api, sources: Sources, environment: Environment, w: SelectionWords): Promise<string> {
  const where = w.profile ? ` (profile ${w.profile})` : '';
  if (!w.configGiven && !CONFIG_NAMES.some((n) => existsSync(join(w.cwd, n)))) {
    return `there is no cucumber configuration (cucumber.mjs) in ${w.cwd}, so nothing was found to run: run domsec from the repository root, or name the configuration with --config.`;
  }
  const missing = w.paths.filter((p) => !/[*?[{]/.test(p) && !existsSync(resolve(w.cwd, p.replace(/(:\d+)+$/, ''))));
  if (missing.length > 0) return `${missing.map((p) => shownPath(w.cwd, resolve(w.cwd, p))).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist${where}.`;
  const plain = await api.loadSources({ ...sources, tagExpression: '', names: [] }, environment);
  if (plain.plan.length === 0) return `the paths ${sources.paths.join(', ') || '(none)'} hold no scenario${where}.`;
  if (w.tags) {
    const asked = w.tags.match(/@[^\s()]+/g) ?? [];
    const tags = await knownTags(api, sources, environment);
    const hints = asked.filter((t) => !tags.includes(t)).map((t) => didYouMean(t, tags).trim()).filter(Boolean);
    return `no scenario has the tags "${w.tags}"${where}.${hints.length ? ` ${hints.join(' ')}` : ''}`;
  }
  return `no scenario name matches ${(w.names ?? []).map((n) => `--name "${n}"`).join(' or ')}${where}.`;
}

/**
 * How many scenarios the configuration selects (cucumber's own loadSources: paths, tags, names). Zero is ERR_NO_SCENARIOS
 * with the reason; the caller has not touched any report yet.
 */
export async function checkSelection(api: Api, sources: Sources, environment: Environment, w: SelectionWords): Promise<number> {
  const { plan, errors } = await api.loadSources(sources, environment);
  if (plan.length > 0) return plan.length;
  const why = errors.length > 0
    ? `the feature files do not parse: ${errors.map((e) => `${e.uri}:${e.location.line} ${e.message}`).join('; ')}.`
    : await whyNothing(api, sources, environment, w);
  throw new DomsecError('ERR_NO_SCENARIOS', `domsec run: no scenario selected: ${why} Nothing was run and no report was written.`, { ...w });
}
