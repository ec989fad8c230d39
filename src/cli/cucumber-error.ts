// cucumber's own errors as ERR_USAGE sentences: a configuration or catalogue problem is the user's to fix (exit 2).
import { DomsecError } from '../errors.js';

/** cucumber wraps the real problem (a syntax error, a missing module) in its cause: show both. */
export function configError(message: string, cause: unknown): DomsecError {
  const chain: string[] = [];
  for (let e = cause as { message?: string; cause?: unknown } | undefined; e && chain.length < 3; e = e.cause as typeof e) {
    if (e.message) chain.push(e.message.split('\n')[0].trim());
  }
  return new DomsecError('ERR_USAGE', `domsec run: ${message}: ${chain.join(': ') || String(cause)}`, undefined, { cause });
}
