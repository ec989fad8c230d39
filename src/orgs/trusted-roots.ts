// An organization's trusted root store (DS-CERT-01): per organization, never global.
import type { Certificate } from '../ca/index.js';

let versions = 0;
const nextVersion = () => ++versions;

export class TrustedRootStore {
  #roots = new Map<string, Certificate>();
  #list?: readonly Certificate[];
  #version = nextVersion();

  add(cert: Certificate): void {
    this.#roots.set(cert.thumbprint, cert);
    this.#changed();
  }

  remove(thumbprint: string): boolean {
    this.#changed();
    return this.#roots.delete(thumbprint.toUpperCase());
  }

  /**
   * Changes with the roots, and no two stores share one: for keying what was built from the store (an edge's TLS
   * servers), which an edge asks on every session (the thumbprints of a mesh's 99 roots were a long key to write).
   */
  get version(): number {
    return this.#version;
  }

  #changed(): void {
    this.#list = undefined;
    this.#version = nextVersion();
  }

  has(thumbprint: string): boolean {
    return this.#roots.has(thumbprint.toUpperCase());
  }

  /**
   * Made once per change and frozen: path building knows a frozen store by identity (chain-path-cache.ts), so every
   * session validated against this organization's roots shares one index of them.
   */
  list(): readonly Certificate[] {
    return (this.#list ??= Object.freeze([...this.#roots.values()]));
  }
}
