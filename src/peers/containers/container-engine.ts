// The small container interface the container peers and `lab up --external DOMAIN=image:NAME` need, on testcontainers.
import http from 'node:http';
import { DomsecError } from '../../errors.js';
import { engineEndpoint } from './engine-gate.js';

/** Every container the harness starts carries this label (value: what it plays), so leftovers can be found and removed. */
export const PEER_LABEL = 'org.domsec.peer';
/** And this one, the value of DOMSEC_CONTAINER_RUN (set by .ci/run): its cleanup removes its own leftovers, not another run's. */
export const RUN_LABEL = 'org.domsec.run';

export interface ContainerSpec {
  image: string;
  /** Absolute path in the container → content (keys mode 600, the rest 644). */
  files: Record<string, string>;
  command?: string[];
  env?: Record<string, string>;
  /** What the container plays, e.g. "postfix treyresearch.net": the PEER_LABEL value. */
  role: string;
  /** Start resolves when this line appears in the container output; without one, as soon as the container runs. */
  readyLine?: RegExp;
  /** How long the ready line may take; default 60 s. */
  startTimeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

export interface RunningContainer {
  id: string;
  exec(command: string[], input?: string): Promise<ExecResult>;
  logs(): Promise<string>;
  /** Whether the container still runs (an image whose entry point failed has exited: no point waiting for it). */
  running(): Promise<boolean>;
  /** Stops and removes the container; a second call does nothing. */
  stop(): Promise<void>;
}

export interface ContainerEngine {
  readonly name: string;
  start(spec: ContainerSpec): Promise<RunningContainer>;
}

/**
 * The developers' guide's settings for an engine without a bridge: containers use the host's network, so testcontainers
 * must look for their ports on 127.0.0.1, and its reaper (Ryuk) cannot run (it needs a bridge and --privileged); the
 * harness removes its containers itself at stop, and `.ci/run` removes any labelled leftovers.
 */
function testcontainersEnv(env: NodeJS.ProcessEnv): void {
  env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

/**
 * The part of testcontainers this adapter uses, typed here: a checkout whose node_modules predates the dependency still
 * type-checks (the import below names the package through a variable, so tsc does not resolve it).
 */
interface StartedContainerLike {
  getId(): string;
  exec(command: string[]): Promise<{ exitCode: number; output: string }>;
  copyContentToContainer(files: { content: string; target: string }[]): Promise<void>;
  logs(): Promise<NodeJS.ReadableStream>;
  stop(options: { remove: boolean; timeout: number }): Promise<unknown>;
}
interface GenericContainerLike {
  withNetworkMode(mode: string): GenericContainerLike;
  withLabels(labels: Record<string, string>): GenericContainerLike;
  withEnvironment(env: Record<string, string>): GenericContainerLike;
  withCopyContentToContainer(files: { content: string; target: string; mode?: number }[]): GenericContainerLike;
  withCommand(command: string[]): GenericContainerLike;
  withWaitStrategy(strategy: unknown): GenericContainerLike;
  withStartupTimeout(ms: number): GenericContainerLike;
  start(): Promise<StartedContainerLike>;
}
interface TestcontainersModule {
  GenericContainer: new (image: string) => GenericContainerLike;
  Wait: { forLogMessage(message: RegExp | string): unknown };
}

/** Containers on the engine DOCKER_HOST names (or the default socket), always with host networking. */
export async function testcontainersEngine(): Promise<ContainerEngine> {
  testcontainersEnv(process.env);
  // Loaded only when a container is started: the package is large and most commands never need it.
  const name = 'testcontainers';
  const tc = (await import(name)) as TestcontainersModule;
  return {
    name: 'docker',
    async start(spec) {
      let c = new tc.GenericContainer(spec.image)
        .withNetworkMode('host')
        .withLabels({ [PEER_LABEL]: spec.role, [RUN_LABEL]: process.env.DOMSEC_CONTAINER_RUN ?? '' })
        .withEnvironment(spec.env ?? {})
        .withCopyContentToContainer(Object.entries(spec.files).map(([target, content]) => ({ target, content, mode: content.includes('PRIVATE KEY-----') ? 0o600 : 0o644 })))
        .withStartupTimeout(spec.startTimeoutMs ?? 60_000);
      if (spec.readyLine) c = c.withWaitStrategy(tc.Wait.forLogMessage(spec.readyLine));
      if (spec.command) c = c.withCommand(spec.command);
      const started = await c.start().catch((e: unknown) => {
        throw new DomsecError('ERR_CONTAINER_ENGINE', `The container ${spec.image} (${spec.role}) did not start: ${(e as Error).message}`, { image: spec.image });
      });
      let inputs = 0;
      let stopped = false;
      return {
        id: started.getId(),
        async exec(command, input) {
          if (input === undefined) return started.exec(command);
          // testcontainers' exec has no stdin: the input goes in as a file first.
          const file = `/tmp/domsec-input-${++inputs}`;
          await started.copyContentToContainer([{ content: input, target: file }]);
          return started.exec(['sh', '-c', `"$@" < ${file}; s=$?; rm -f ${file}; exit $s`, 'sh', ...command]);
        },
        async logs() {
          const stream = await started.logs();
          // The stream follows the container: what it holds is read until it has been quiet for 300 ms.
          return new Promise<string>((resolve) => {
            let out = '';
            let quiet = setTimeout(done, 300);
            function done() {
              (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
              resolve(out);
            }
            stream.on('data', (d: Buffer) => {
              out += d.toString();
              clearTimeout(quiet);
              quiet = setTimeout(done, 300);
            });
            stream.on('end', () => { clearTimeout(quiet); resolve(out); });
          });
        },
        running: () => containerRunning(started.getId()),
        async stop() {
          if (stopped) return;
          stopped = true;
          // Nothing in a peer container outlives it (configuration, queue and mailbox are all inside): no grace period.
          await started.stop({ remove: true, timeout: 0 });
        },
      };
    },
  };
}

/** The engine's own answer (GET /containers/ID/json): testcontainers has no call for a container's state. */
function containerRunning(id: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ ...engineEndpoint(process.env).options, path: `/containers/${id}/json`, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve((JSON.parse(body) as { State?: { Running?: boolean } }).State?.Running === true);
        } catch {
          resolve(false);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
