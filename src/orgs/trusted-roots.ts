// An organization's trusted root store (DS-CERT-01): per organization, never global.
import type { Certificate } from '../ca/index.js';

export class TrustedRootStore {
  #roots = new Map<string, Certificate>();
  #key?: string;

  add(cert: Certificate): void {
    this.#roots.set(cert.thumbprint, cert);
    this.#key = undefined;
  }

  remove(thumbprint: string): boolean {
    this.#key = undefined;
    return this.#roots.delete(thumbprint.toUpperCase());
  }

  /**
   * The roots' thumbprints in one string, for keying what was built from the store (an edge's TLS servers): made once
   * per change, since an edge asks on every session and a 100-organization mesh trusts 99 roots.
   */
  key(): string {
    return (this.#key ??= [...this.#roots.keys()].join(','));
  }

  has(thumbprint: string): boolean {
    return this.#roots.has(thumbprint.toUpperCase());
  }

  list(): Certificate[] {
    return [...this.#roots.values()];
  }
}
