// cucumber-js configuration: TypeScript steps are loaded through tsx's ESM hook (no ts-node).
import { register } from 'tsx/esm/api';

register();

export default {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'features/steps/**/*.ts'],
  format: ['progress', 'message:.tmp/cucumber.ndjson'],
  strict: true,
  forceExit: false,
};
