// An organization's trusted root store (DS-CERT-01): per organization, never global.
import type { Certificate } from '../ca/index.js';

export class TrustedRootStore {
  #roots = new Map<string, Certificate>();

  add(cert: Certificate): void {
    this.#roots.set(cert.thumbprint, cert);
  }

  remove(thumbprint: string): boolean {
    return this.#roots.delete(thumbprint.toUpperCase());
  }

  has(thumbprint: string): boolean {
    return this.#roots.has(thumbprint.toUpperCase());
  }

  list(): Certificate[] {
    return [...this.#roots.values()];
  }
}
