import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandShell } from '../command-shell/command-shell';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { DestructionExecutor, type ExecutionFaults } from './destruction-execution';
import { ELECTRONIC_CONTENT, type ElectronicContentStore } from './electronic-content';

const RETRY_MS = [100, 500, 1000, 5000, 15000];

/**
 * Runs the destruction execution process manager with the service: it resumes unfinished
 * executions at start (from its own checkpoint) and follows new ones. A failure is logged and
 * retried with back-off; the work is idempotent, so a retry or a restart never destroys twice.
 */
@Injectable()
export class DestructionExecutionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DestructionExecution');
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  /** Test hooks (see ExecutionFaults): stop the execution at a chosen point, as a crash would. */
  faults: ExecutionFaults = {};
  lastError: string | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(CommandShell) private readonly shell: CommandShell,
    @Inject(ELECTRONIC_CONTENT) private readonly content: ElectronicContentStore,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Start following (again) from the checkpoint. */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Stop following, as a shutdown (or, with a fault in place, a crash) would. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    this.abort = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted;) {
      try {
        const hooks: ExecutionFaults = {
          beforeDestroy: (...args) => this.faults.beforeDestroy?.(...args),
          afterDestroy: (...args) => this.faults.afterDestroy?.(...args),
        };
        await new DestructionExecutor(this.events, this.reads, this.shell, this.content, hooks).follow(
          signal,
        );
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.lastError = (error as Error).message;
        const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.logger.error({ err: error, retryInMs: wait }, 'executing a destruction list failed; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }
}
