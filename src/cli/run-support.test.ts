// How `domsec run` loads the support code in its own process: bundled when it can be, with the step definitions where
// they are written; the files as configured when not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKER_SETUP } from './run-parallel.js';
import { loadRunSupport } from './run-support.js';
import { supportBundle } from './support-bundle.js';

type Api = typeof import('@cucumber/cucumber/api');
type Options = Parameters<Api['loadSupport']>[0];

const repo = fileURLToPath(new URL('../../', import.meta.url));
mkdirSync(join(repo, '.tmp'), { recursive: true });
// Inside the project (the bundle is only for the project's own files), outside git (.tmp/ is ignored).
const dir = mkdtempSync(join(repo, '.tmp', 'run-support-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, 'a.feature'), 'Feature: a\n  Scenario: one\n    Given a step\n');
writeFileSync(join(dir, 'b.steps.ts'), [
  "import { Given } from '@cucumber/cucumber';",
  '',
  'interface Unused { n: number }',
  "Given('another step', function (this: Unused) { this.n = 2; });",
  '',
].join('\n'));
writeFileSync(join(dir, 'a.steps.ts'), [
  "import { Given } from '@cucumber/cucumber';",
  '',
  "Given('a step', function () { return undefined; });",
  '',
].join('\n'));

function options(support: Partial<Options['support']>): Options {
  return {
    sources: { paths: [join(dir, '*.feature')], defaultDialect: 'en', names: [], tagExpression: '', order: 'defined' },
    support: { requireModules: [], requirePaths: [], importPaths: [], loaders: [], ...support },
  };
}

/** An API whose loadSupport only records what it was asked to import. */
function recordingApi(seen: Options['support'][]): Api {
  return { loadSupport: async (o: Options) => { seen.push(o.support); return { stepDefinitions: [] }; } } as unknown as Api;
}

describe('domsec run loads the support code', () => {
  it('from one bundle of the files cucumber would import, in its order', async () => {
    const api = await import('@cucumber/cucumber/api');
    const asked: string[][] = [];
    const bundle = (files: readonly string[]) => { asked.push([...files]); return supportBundle(files); };
    const { library, bundle: used } = await loadRunSupport(api, options({ importPaths: [WORKER_SETUP, join(dir, '*.steps.ts')] }), { cwd: repo }, bundle);
    // cucumber's order (a glob's matches sorted), without the tsx setup that only workers importing the files need.
    expect(asked).toEqual([[join(dir, 'a.steps.ts'), join(dir, 'b.steps.ts')]]);
    expect(used).toMatch(/node_modules\/\.cache\/domsec\/support-[0-9a-f]{16}\.mjs$/);
    expect(library.originalCoordinates.importPaths).toEqual([used]);
    // The library holds the bundle's step definitions (the .ts files and lines they name: bin-start.test.ts, where no
    // test runner maps stack traces its own way).
    const { stepDefinitions } = library as unknown as { stepDefinitions: { pattern: string }[] };
    expect(stepDefinitions.map((s) => s.pattern)).toEqual(['a step', 'another step']);
  });

  it('as configured when there is no bundle, or when some of it is required, which a bundle of imports cannot hold', async () => {
    const seen: Options['support'][] = [];
    const files = { importPaths: [join(dir, '*.steps.ts')] };
    const none = await loadRunSupport(recordingApi(seen), options(files), { cwd: repo }, async () => undefined);
    expect(none.bundle).toBeUndefined();
    let asked = false;
    const required = await loadRunSupport(recordingApi(seen), options({ ...files, requirePaths: [join(dir, 'setup.cjs')] }), { cwd: repo }, async () => { asked = true; return '/never.mjs'; });
    expect(required.bundle).toBeUndefined();
    expect(asked).toBe(false);
    expect(seen.map((s) => s.importPaths)).toEqual([files.importPaths, files.importPaths]);
  });
});
