// Whether `domsec run` must register tsx before cucumber loads a configuration: only when loading it can import
// TypeScript (bin-start.test.ts runs a configuration that does, through the compiled command).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configMayLoadTypeScript } from './config-typescript.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-config-ts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('configMayLoadTypeScript', () => {
  it('no: the repository\'s cucumber.mjs, found as cucumber finds it, and the fixtures\' configurations', () => {
    expect(configMayLoadTypeScript(undefined, repo)).toBe(false);
    expect(configMayLoadTypeScript(join(repo, 'src/cli/fixtures/catalogue/cucumber.mjs'), repo)).toBe(false);
    expect(configMayLoadTypeScript(undefined, project({}))).toBe(false); // no configuration at all
  });

  it('no: data files, packages, node: modules, JavaScript files that import only those', () => {
    const dir = project({
      'cucumber.json': '{ "default": {} }',
      'cucumber.mjs': "import yaml from 'yaml';\nimport { join } from 'node:path';\nimport { shared } from './shared.mjs';\nexport default { ...shared };\n",
      'shared.mjs': "export * from './more.cjs';\nexport const shared = {};\n",
      'more.cjs': "const fs = require('node:fs');\nmodule.exports = {};\n",
    });
    expect(configMayLoadTypeScript(join(dir, 'cucumber.json'), dir)).toBe(false);
    expect(configMayLoadTypeScript(join(dir, 'cucumber.mjs'), dir)).toBe(false);
  });

  it('yes: a TypeScript configuration, or one importing TypeScript, directly or through JavaScript', () => {
    const dir = project({
      'cucumber.ts': 'export default {};\n',
      'direct.mjs': "import { profiles } from './profiles.ts';\nexport default profiles;\n",
      'through.mjs': "import { profiles } from './shared.mjs';\nexport default profiles;\n",
      'shared.mjs': "export { profiles } from './profiles.mts';\n",
      'required.cjs': "module.exports = require('./profiles.cts');\n",
    });
    for (const f of ['cucumber.ts', 'direct.mjs', 'through.mjs', 'required.cjs']) expect(configMayLoadTypeScript(join(dir, f), dir), f).toBe(true);
  });

  it('yes, to be safe: what it cannot follow (a computed import, a path with no such file, an import map, a folder)', () => {
    const dir = project({
      'computed.mjs': "const name = process.env.PROFILE;\nexport default (await import(`./${name}.mjs`)).default;\n",
      'extensionless.mjs': "import { profiles } from './profiles';\nexport default profiles;\n",
      'js-naming-ts.mjs': "import { profiles } from './profiles.js';\nexport default profiles;\n",
      'import-map.mjs': "import { profiles } from '#profiles';\nexport default profiles;\n",
      'folder.cjs': "module.exports = require('./');\n",
    });
    for (const f of ['computed.mjs', 'extensionless.mjs', 'js-naming-ts.mjs', 'import-map.mjs', 'folder.cjs']) expect(configMayLoadTypeScript(join(dir, f), dir), f).toBe(true);
  });
});
