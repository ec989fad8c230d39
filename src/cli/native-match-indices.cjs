// cucumber-expressions gets the position of each matched group (step arguments) from the `regexp-match-indices`
// package. Its test for native support runs a RegExp without the `d` flag, so it never finds it, and every process
// (domsec's own and each of --parallel's workers) then rewrites every step definition's expression through the
// regexp-tree parser: ~0.14 s of CPU before its first scenario (profile of the catalogue's serial run). Node 20's
// RegExp computes the same indices itself with the `d` flag (ES2022, the proposal that package polyfills).
// Loaded before cucumber (run-command.ts; in workers through NODE_OPTIONS), this puts in the package's place in the
// module cache a function with its signature, exec(regexp, string), that runs the native `d` flag instead. It does so
// when it is loaded. Plain CommonJS: a worker loads it with --require, before anything else.
'use strict';
const Module = require('node:module');

const withIndices = new WeakMap();

/** regexp.exec(string), with `indices` on the match as the `d` flag gives them; lastIndex moves as it would. */
function execWithIndices(regexp, string) {
  let native = withIndices.get(regexp);
  if (native === undefined) {
    native = regexp.hasIndices ? regexp : new RegExp(regexp, `${regexp.flags}d`);
    withIndices.set(regexp, native);
  }
  native.lastIndex = regexp.lastIndex;
  const match = native.exec(string);
  regexp.lastIndex = native.lastIndex;
  return match;
}

/** The file Node loads for `regexp-match-indices` from cucumber-expressions, or undefined when it cannot be found. */
function packageFile() {
  try {
    const fromCucumber = Module.createRequire(require.resolve('@cucumber/cucumber'));
    const fromExpressions = Module.createRequire(fromCucumber.resolve('@cucumber/cucumber-expressions'));
    return fromExpressions.resolve('regexp-match-indices');
  } catch {
    return undefined;
  }
}

/**
 * Puts execWithIndices in the module cache for regexp-match-indices, when Node's RegExp has the `d` flag and the
 * package is not loaded yet (a module that loaded it keeps what it has). Returns whether it did.
 */
function installNativeMatchIndices() {
  if (!('hasIndices' in RegExp.prototype)) return false;
  const file = packageFile();
  if (file === undefined || Module._cache[file] !== undefined) return false;
  const module = new Module(file);
  module.filename = file;
  module.loaded = true;
  module.exports = execWithIndices;
  Module._cache[file] = module;
  return true;
}

module.exports = { execWithIndices, installed: installNativeMatchIndices() };
