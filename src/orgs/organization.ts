// An organization: accepted domains, edge servers, trusted roots, TransportConfig and send connectors (DESIGN: src/orgs).
import { canonicalDomain } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { EdgeServer } from './edge-server.js';
import { buildSendConnector, type SendConnectorInput, type SendConnectorSettings } from './send-connector.js';
import { normalizeSmtpDomain } from './smtp-domain.js';
import { TransportConfig, type TransportSettings } from './transport-config.js';
import { TrustedRootStore } from './trusted-roots.js';

export interface OrganizationOptions {
  name: string;
  domains: string[];
  settings?: Partial<TransportSettings>;
}

export class Organization {
  readonly name: string;
  readonly domains: string[];
  readonly transport: TransportConfig;
  readonly trustedRoots = new TrustedRootStore();
  #edges: EdgeServer[] = [];
  #send: SendConnectorSettings[] = [];

  constructor(o: OrganizationOptions) {
    if (o.domains.length === 0) throw new DomsecError('ERR_ORG_INVALID', `Organization ${o.name} needs at least one accepted domain.`);
    this.name = o.name;
    this.domains = o.domains.map(normalizeSmtpDomain);
    this.transport = new TransportConfig(o.settings);
  }

  get primaryDomain(): string {
    return this.domains[0];
  }

  get edges(): readonly EdgeServer[] {
    return this.#edges;
  }

  addEdge(name: string, fqdn: string, address: string): EdgeServer {
    if (this.#edges.some((e) => e.name.toLowerCase() === name.toLowerCase())) {
      throw new DomsecError('ERR_ORG_INVALID', `Organization ${this.name} already has an edge server named ${name}.`);
    }
    const e = new EdgeServer(name, fqdn.toLowerCase(), address);
    this.#edges = [...this.#edges, e];
    return e;
  }

  edge(name?: string): EdgeServer {
    const e = name === undefined ? this.#edges[0] : this.#edges.find((x) => x.name.toLowerCase() === name.toLowerCase() || x.fqdn === name.toLowerCase());
    if (!e) throw new DomsecError('ERR_EDGE_NOT_FOUND', `Organization ${this.name} has no edge server ${name ?? '(none defined)'}.`, { name });
    return e;
  }

  isAcceptedDomain(domain: string): boolean {
    return this.domains.includes(canonicalDomain(domain));
  }

  get sendConnectors(): readonly SendConnectorSettings[] {
    return this.#send;
  }

  sendConnector(name: string): SendConnectorSettings {
    const c = this.#send.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!c) throw new DomsecError('ERR_CONNECTOR_NOT_FOUND', `The send connector "${name}" wasn't found. Run Get-SendConnector to list them.`, { name });
    return c;
  }

  newSendConnector(input: SendConnectorInput): SendConnectorSettings {
    const name = input.name.toLowerCase(); // once: a mesh adds a hundred connectors, each checked against the others
    if (this.#send.some((s) => s.name.toLowerCase() === name)) {
      throw new DomsecError('ERR_CONNECTOR_EXISTS', `A send connector named "${input.name}" already exists.`);
    }
    const c = buildSendConnector(input);
    this.#send = [...this.#send, c];
    return c;
  }

  setSendConnector(name: string, patch: Partial<SendConnectorInput>): SendConnectorSettings {
    const current = this.sendConnector(name);
    const next = buildSendConnector({ ...patch, name: patch.name ?? current.name }, current);
    this.#send = this.#send.map((s) => (s === current ? next : s));
    return next;
  }

  removeSendConnector(name: string): void {
    const current = this.sendConnector(name);
    this.#send = this.#send.filter((s) => s !== current);
  }
}
