// `domsec run --parallel N`: worker 0 of cucumber's pool runs in domsec's own process; workers 1…N-1 are forked.
// cucumber forks every worker, and only after the main process has loaded the support code and assembled the test
// cases; each worker then starts Node, cucumber and the support code again (~0.6 s) before its first scenario. The
// main process has all of that loaded already and sits idle while they run: on 2 cores that is a third process on
// two cores and a start-up paid twice. Here worker 0 is the main process itself, as in a serial run (cucumber's
// InProcessAdapter), speaking the worker protocol to cucumber's pool, so the pool still balances the scenarios
// dynamically, every message still goes through one stream and the configured formatters, and the report is the same.
import childProcess, { type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What cucumber's ChildProcessAdapter forks for each worker (runtime/parallel/adapter.js). */
const RUN_WORKER = require.resolve('@cucumber/cucumber/lib/runtime/parallel/run_worker');
/** The worker that runs in this process: cucumber numbers its workers from "0". */
export const IN_PROCESS_WORKER_ID = '0';

interface InitializeCommand {
  type: 'INITIALIZE';
  testRunStartedId: string;
  options: object;
  snippetOptions: { snippetInterface?: string; snippetSyntax?: string };
}
type Command = InitializeCommand | { type: 'RUN'; assembledTestCase: unknown; failing: boolean } | { type: 'FINALIZE' };

interface CucumberWorker {
  runBeforeAllHooks(): Promise<void>;
  runTestCase(item: unknown, failing: boolean): Promise<boolean>;
  runAfterAllHooks(): Promise<void>;
}
type WorkerClass = new (testRunStartedId: string, workerId: string, eventBroadcaster: EventEmitter, newId: () => string, options: object, supportCodeLibrary: object, snippetBuilder: unknown) => CucumberWorker;

/**
 * Worker 0 as cucumber's pool sees a forked worker, all of a ChildProcess its adapter uses: `send` takes its commands,
 * 'message' carries the worker's messages (READY, ENVELOPE, FINISHED) and 'close' its exit code. The commands run cucumber's own Worker (the class
 * its forked workers and its serial run use) on the support code library this process loaded, with the run's own
 * options object, so a stop (run-stop.ts sets options.dryRun) reaches it as it reaches a serial run.
 */
class InProcessWorker extends EventEmitter {
  readonly #cwd: string;
  readonly #library: object;
  #worker?: CucumberWorker;
  #closed = false;
  #running = false;

  constructor(cwd: string, library: object) {
    super();
    this.#cwd = cwd;
    this.#library = library;
  }

  send(command: Command): boolean {
    this.#receive(command).catch((error: unknown) => {
      // What a forked worker does with an unexpected error (run_worker.js): say it, exit 1.
      console.error(new Error('Unexpected error on worker.receiveMessage', { cause: error }));
      this.#close(1);
    });
    return true;
  }

  async #receive(command: Command): Promise<void> {
    if (this.#closed) return;
    switch (command.type) {
      case 'INITIALIZE': {
        const { Worker } = require('@cucumber/cucumber/lib/runtime/worker') as { Worker: WorkerClass };
        const builder = (require('@cucumber/cucumber/lib/formatter/builder') as { default: { getStepDefinitionSnippetBuilder(o: object): Promise<unknown> } }).default;
        const { IdGenerator } = require('@cucumber/messages') as { IdGenerator: { uuid(): () => string } };
        const snippetBuilder = await builder.getStepDefinitionSnippetBuilder({ cwd: this.#cwd, ...command.snippetOptions, supportCodeLibrary: this.#library });
        const broadcaster = new EventEmitter();
        broadcaster.on('envelope', (envelope: unknown) => this.emit('message', { type: 'ENVELOPE', envelope }));
        this.#worker = new Worker(command.testRunStartedId, IN_PROCESS_WORKER_ID, broadcaster, IdGenerator.uuid(), this.#optionsView(command.options), this.#library, snippetBuilder);
        await this.#worker.runBeforeAllHooks();
        this.#reply({ type: 'READY' });
        break;
      }
      case 'RUN': {
        this.#running = true;
        const success = await this.#worker!.runTestCase(command.assembledTestCase, command.failing).finally(() => { this.#running = false; });
        this.#reply({ type: 'FINISHED', success });
        break;
      }
      case 'FINALIZE':
        await this.#worker!.runAfterAllHooks();
        this.#close(0);
        break;
    }
  }

  /**
   * The run's options, read live: a stop sets `dryRun` on them (run-stop.ts) and the scenarios not yet started are
   * skipped. Only scenarios: the BeforeAll and AfterAll hooks run, as in a forked worker, which learns of a stop
   * through DOMSEC_STOP_FILE and never sees `dryRun` change.
   */
  #optionsView(options: object): object {
    return Object.create(options, { dryRun: { get: () => this.#running && (options as { dryRun?: boolean }).dryRun === true } });
  }

  /** Like a message over IPC, after the current turn: cucumber's pool answers it with the next command. */
  #reply(message: object): void {
    setImmediate(() => { if (!this.#closed) this.emit('message', message); });
  }

  #close(code: number): void {
    if (this.#closed) return;
    this.#closed = true;
    setImmediate(() => this.emit('close', code));
  }
}

/**
 * For the duration of one cucumber run, cucumber's fork of worker 0 returns a worker in this process running on
 * `library` (the support code library the run was given); every other worker is forked as cucumber asked. Returns
 * the function that puts cucumber's fork back.
 */
export function runWorkerZeroInProcess(cwd: string, library: object): () => void {
  const real = childProcess.fork;
  childProcess.fork = ((modulePath: string, args?: readonly string[], options?: childProcess.ForkOptions) => {
    if (modulePath === RUN_WORKER && options?.env?.CUCUMBER_WORKER_ID === IN_PROCESS_WORKER_ID) return new InProcessWorker(cwd, library) as unknown as ChildProcess;
    return real(modulePath, args as string[], options);
  }) as typeof childProcess.fork;
  return () => { childProcess.fork = real; };
}
