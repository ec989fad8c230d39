// The tiny container interface the container peers need, plus an adapter for testcontainers. UNTESTED HERE: these machines have no Docker engine.
import { DomsecError } from '../../errors.js';

export interface ContainerSpec {
  image: string;
  /** Absolute path in the container → content. */
  files: Record<string, string>;
  command: string[];
  /** Host networking: the MTA binds the edge's 127.0.x.y and reaches the host's policy service on 127.0.0.1. */
  hostNetwork: true;
  /** Resolves when this line appears in the container output. */
  readyLine: RegExp;
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

export interface RunningContainer {
  id: string;
  exec(command: string[], input?: string): Promise<ExecResult>;
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export interface ContainerEngine {
  readonly name: string;
  start(spec: ContainerSpec): Promise<RunningContainer>;
}

/**
 * The part of testcontainers' GenericContainer this adapter uses, typed structurally so the project compiles without the
 * package (it is not a dependency; hosts with a Docker engine add it themselves).
 */
export interface GenericContainerLike {
  withNetworkMode(mode: string): GenericContainerLike;
  withCopyContentToContainer(files: { content: string; target: string; mode?: number }[]): GenericContainerLike;
  withCommand(command: string[]): GenericContainerLike;
  withWaitStrategy(strategy: unknown): GenericContainerLike;
  start(): Promise<{
    getId(): string;
    exec(command: string[]): Promise<{ exitCode: number; output: string }>;
    logs(): Promise<NodeJS.ReadableStream>;
    stop(): Promise<unknown>;
  }>;
}

export interface TestcontainersModule {
  GenericContainer: new (image: string) => GenericContainerLike;
  Wait: { forLogMessage(message: RegExp | string): unknown };
}

/** Adapter: `testcontainersEngine(await import('testcontainers'))` on a host that has the package and an engine. */
export function testcontainersEngine(tc: TestcontainersModule): ContainerEngine {
  return {
    name: 'testcontainers',
    async start(spec) {
      const started = await new tc.GenericContainer(spec.image)
        .withNetworkMode('host')
        .withCopyContentToContainer(Object.entries(spec.files).map(([target, content]) => ({ target, content, mode: content.includes('PRIVATE KEY-----') ? 0o600 : 0o644 })))
        .withCommand(spec.command)
        .withWaitStrategy(tc.Wait.forLogMessage(spec.readyLine))
        .start();
      return {
        id: started.getId(),
        async exec(command, input) {
          // testcontainers' exec has no stdin: feed it through a here-document.
          const cmd = input === undefined ? command : ['sh', '-c', `${command.map(shellQuote).join(' ')} <<'DOMSEC_EOF'\n${input}\nDOMSEC_EOF`];
          return started.exec(cmd);
        },
        async logs() {
          const stream = await started.logs();
          return new Promise<string>((resolve) => {
            let out = '';
            stream.on('data', (d: Buffer) => (out += d.toString()));
            setTimeout(() => resolve(out), 200);
          });
        },
        async stop() {
          await started.stop();
        },
      };
    },
  };
}

/** What a host without an engine gets: a clear error, never a silent skip. */
export function noContainerEngine(reason = 'No Docker engine on this machine; container peers cannot run here (see docs/interop.md).'): ContainerEngine {
  return {
    name: 'none',
    start: () => Promise.reject(new DomsecError('ERR_MTA_MISSING', reason)),
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
