// smtp-server with a TLS context made once per edge and TLS configuration, shared by all its receive connectors.
import tls from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import getTLSOptions from 'smtp-server/lib/tls-options.js';
import { remember } from './tls-context-recipes.js';

/**
 * smtp-server builds a context of its own for every server: in a full mesh with one receive connector per partner that
 * is one context per connector, each holding every trusted root (n organizations × n connectors × n roots: 43 s and
 * ~1 GB at 50 organizations). The context depends only on the certificate, the roots and the TLS versions, so the
 * edge makes one per such configuration (`SharedTlsContexts`) and hands it to each connector's server.
 */
export class SharedTlsServer extends SMTPServer {
  constructor(options: SMTPServerOptions, readonly shared: tls.SecureContext) {
    super({ ...options, sharedSecureContext: shared } as SMTPServerOptions);
  }

  override updateSecureContext(): void {
    // Called by smtp-server's constructor, before `shared` is set: the context travels in the options.
    this.secureContext = new Map([['*', (this.options as unknown as { sharedSecureContext: tls.SecureContext }).sharedSecureContext]]);
  }
}

/** One context per TLS configuration (key, certificate chain, trusted roots, versions, ciphers), made when first asked for. */
export class SharedTlsContexts {
  #byKey = new Map<string, tls.SecureContext>();

  get(key: string, options: tls.SecureContextOptions): tls.SecureContext {
    let c = this.#byKey.get(key);
    if (!c) {
      // The same defaults smtp-server would have merged in (honorCipherOrder, sessionIdContext, …).
      const merged = getTLSOptions(options);
      c = remember(tls.createSecureContext(merged), merged);
      // A configuration that changes (a new certificate, a root removed) leaves its old context behind: keep the few latest.
      if (this.#byKey.size >= 16) this.#byKey.delete(this.#byKey.keys().next().value!);
      this.#byKey.set(key, c);
    }
    return c;
  }
}
