// An edge transport server of an organization: its name, FQDN, address, certificate store and receive connectors.
import { CertificateStore } from './certificate-store.js';
import { DomsecError } from '../errors.js';
import {
  buildReceiveConnector, receiveConnectorIdentity, type ReceiveConnectorInput, type ReceiveConnectorSettings,
} from './receive-connector.js';

/** TLS protocol versions an edge speaks (docs/model-choices.md: 1.2 by default, as in the documents' logs). */
export type TlsVersion = '1.2' | '1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];

export class EdgeServer {
  readonly certificates = new CertificateStore();
  /** Both directions, receive and send: Node's minVersion/maxVersion span the lowest and highest listed. */
  tlsVersions: TlsVersion[] = ['1.2'];
  #receive: ReceiveConnectorSettings[] = [];

  constructor(readonly name: string, readonly fqdn: string, readonly address: string) {}

  get receiveConnectors(): readonly ReceiveConnectorSettings[] {
    return this.#receive;
  }

  receiveConnector(identity: string): ReceiveConnectorSettings {
    const name = identity.includes('\\') ? identity.split('\\')[1] : identity;
    const c = this.#receive.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!c) throw new DomsecError('ERR_CONNECTOR_NOT_FOUND', `The receive connector "${identity}" wasn't found on ${this.name}. Run Get-ReceiveConnector to list them.`, { identity });
    return c;
  }

  newReceiveConnector(input: Omit<ReceiveConnectorInput, 'server'>): ReceiveConnectorSettings {
    const name = input.name.toLowerCase(); // once: a mesh adds a hundred connectors, each checked against the others
    if (this.#receive.some((r) => r.name.toLowerCase() === name)) {
      throw new DomsecError('ERR_CONNECTOR_EXISTS', `A receive connector named "${this.name}\\${input.name}" already exists.`);
    }
    const c = buildReceiveConnector({ fqdn: this.fqdn, ...input, server: this.name });
    this.#receive = [...this.#receive, c];
    return c;
  }

  setReceiveConnector(identity: string, patch: Partial<ReceiveConnectorInput>): ReceiveConnectorSettings {
    const current = this.receiveConnector(identity);
    const next = buildReceiveConnector({ ...patch, name: patch.name ?? current.name, server: this.name }, current);
    this.#receive = this.#receive.map((r) => (r === current ? next : r));
    return next;
  }

  removeReceiveConnector(identity: string): void {
    const current = this.receiveConnector(identity);
    this.#receive = this.#receive.filter((r) => r !== current);
  }

  identityOf(c: ReceiveConnectorSettings): string {
    return receiveConnectorIdentity(c);
  }
}
