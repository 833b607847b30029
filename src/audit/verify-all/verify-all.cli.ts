import * as fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command, type ErrorOptions } from 'commander';
import { systemClock } from '../../clock/clock';
import type { AppConfig } from '../../config/config';
import { StoreLockedError } from '../../event-store/event-store.errors';
import { openStoreReadOnly, verifyAll, VerifyAllUnavailableError, type VerifyAllReport } from './verify-all';
import { verifyAllThroughPorts } from './verify-all-ports';

/** Exit codes of `archive-ledger audit verify-all` (docs/audit.md). */
export const VERIFY_ALL_EXIT = { verified: 0, fault: 1, cannotRun: 2 } as const;

class AuditCommand extends Command {
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(message, { ...errorOptions, exitCode: VERIFY_ALL_EXIT.cannotRun });
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A verifier key inline, or a file holding one per line. */
function keysFrom(values: readonly string[]): string[] {
  return values.flatMap((value) => {
    if (/^[^+\s]+\+[0-9a-f]{8}\+/.test(value.trim())) return [value.trim()];
    return fs
      .readFileSync(value, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  });
}

/**
 * `audit verify-all`: check the whole store — every stream's chain, the Merkle tree against every
 * signed checkpoint, consistency between checkpoints — with a progress bar on stderr. Embedded: the
 * SQLite file read directly and read-only (the running service holds an exclusive lock on it: stop
 * it first). STORE=eventstoredb: through the event store and seal store ports (EventStoreDB and the
 * MongoDB seal store), which a running service does not prevent.
 */
export function registerAuditCommand(program: Command, loadConfig: () => AppConfig): void {
  const audit = new AuditCommand('audit').description('the audit trail: verify the whole store');
  audit.copyInheritedSettings(program);
  const verifyAllCommand = new AuditCommand('verify-all');
  verifyAllCommand.copyInheritedSettings(program);
  verifyAllCommand
    .description(
      'check every stream, the Merkle tree and every signed checkpoint, read-only (exit 0 verified, 1 fault found, 2 cannot run); embedded store: stop the service first; STORE=eventstoredb: reads EventStoreDB and the MongoDB seal store',
    )
    .option(
      '--key <verifier-key>',
      'trust this checkpoint key (inline or a file, one key a line; repeatable) instead of the keys on record in the store',
      collect,
      [],
    )
    .option(
      '--checkpoint <file>',
      'also check against a signed checkpoint kept outside the store (GET /audit/checkpoint?format=note); repeatable',
      collect,
      [],
    )
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (options: { key: string[]; checkpoint: string[]; json?: boolean; progress: boolean }) => {
      const config = loadConfig();
      let pinnedKeys: string[];
      let externalCheckpoints: { label: string; note: string }[];
      try {
        pinnedKeys = keysFrom(options.key);
        externalCheckpoints = options.checkpoint.map((file) => ({
          label: `the checkpoint in ${file}`,
          note: fs.readFileSync(file, 'utf8'),
        }));
      } catch (error) {
        return verifyAllCommand.error(`error: ${(error as Error).message}`, { code: 'archive-ledger.audit' });
      }
      const bar = new SingleBar({
        format: 'verifying [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left',
        stream: process.stderr,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 3000,
      });
      const finish = (report: VerifyAllReport) => {
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
        if (report.fault) {
          const f = report.fault;
          process.stderr.write(
            `error: FAULT${f.stream ? ` in ${f.stream}` : ''}${f.revision !== null ? ` at revision ${f.revision}` : ''}${f.position ? ` (position ${f.position})` : ''}: ${f.problem}\n`,
          );
        }
        process.exitCode = report.verified ? VERIFY_ALL_EXIT.verified : VERIFY_ALL_EXIT.fault;
      };
      if (config.store === 'eventstoredb') {
        let report: VerifyAllReport;
        try {
          report = await throughPorts(
            config,
            { pinnedKeys, externalCheckpoints },
            options.progress ? bar : undefined,
          );
        } catch (error) {
          if (options.progress) bar.stop();
          return verifyAllCommand.error(`error: ${(error as Error).message}`, {
            code: 'archive-ledger.audit',
          });
        }
        return finish(report);
      }
      let db;
      try {
        db = openStoreReadOnly(config.dataDir);
      } catch (error) {
        const hint =
          error instanceof StoreLockedError
            ? ' (stop the service first: it holds the embedded store exclusively)'
            : '';
        return verifyAllCommand.error(`error: ${(error as Error).message}${hint}`, {
          code: 'archive-ledger.audit',
        });
      }
      let report: VerifyAllReport;
      try {
        const head =
          (db.prepare('SELECT max(global_position) AS p FROM events').get() as { p: number | null }).p ?? 0;
        if (options.progress) bar.start(head, 0);
        report = verifyAll(db, {
          pinnedKeys,
          externalCheckpoints,
          onProgress: (position) => options.progress && bar.update(position),
        });
        if (options.progress) {
          bar.update(report.fault ? Number(report.fault.position ?? 0) : head);
          bar.stop();
        }
      } catch (error) {
        if (options.progress) bar.stop();
        const message = error instanceof VerifyAllUnavailableError ? error.message : (error as Error).message;
        return verifyAllCommand.error(`error: ${message}`, { code: 'archive-ledger.audit' });
      } finally {
        db.close();
      }
      finish(report);
    });
  audit.addCommand(verifyAllCommand);
  program.addCommand(audit);
}

/**
 * STORE=eventstoredb: EventStoreDB and the MongoDB seal store (MONGODB_URL), read through the ports.
 * Not run against servers in this repository's tests (docs/audit.md).
 */
async function throughPorts(
  config: AppConfig,
  options: { pinnedKeys: string[]; externalCheckpoints: { label: string; note: string }[] },
  bar: SingleBar | undefined,
): Promise<VerifyAllReport> {
  if (config.mongodbUrl === undefined) {
    throw new VerifyAllUnavailableError(
      'STORE=eventstoredb keeps the Merkle tree and the checkpoints in MongoDB: set MONGODB_URL',
    );
  }
  const { KurrentEventStore } = await import('../../event-store/eventstoredb/kurrent-event-store');
  const { MongoSealStore } = await import('../sealer/mongo-seal-store');
  const events = await KurrentEventStore.connect({
    connectionString: config.eventStoreUrl as string,
    clock: systemClock,
  });
  try {
    const seals = await MongoSealStore.connect(config.mongodbUrl);
    try {
      bar?.start(0, 0);
      const report = await verifyAllThroughPorts(events, seals, {
        ...options,
        description: `EventStoreDB ${redacted(config.eventStoreUrl as string)} + MongoDB seal store ${redacted(config.mongodbUrl)}`,
        onEvents: (read, total) => {
          bar?.setTotal(total);
          bar?.update(read);
        },
      });
      bar?.stop();
      return report;
    } finally {
      await seals.close();
    }
  } finally {
    await events.close();
  }
}

/** A connection string without its credentials, for the report. */
function redacted(connection: string): string {
  return connection.replace(/\/\/[^@/]*@/, '//***@');
}

export function reportText(r: VerifyAllReport): string {
  const lines = [
    r.verified ? 'VERIFIED' : 'FAULT',
    `  store: ${r.file}`,
    `  events: ${r.events} in ${r.streams} streams (head position ${r.headPosition}), checked in ${r.seconds} s (${r.eventsPerSecond} events/s)`,
    `  Merkle tree: ${r.storedTreeSize} leaves stored; ${r.checkpointsVerified} signed checkpoint(s) matched by the tree recomputed from the events`,
    r.latestCheckpoint
      ? `  latest checkpoint: tree size ${r.latestCheckpoint.treeSize}, root ${r.latestCheckpoint.rootHash}, key ${r.latestCheckpoint.keyId}`
      : '  latest checkpoint: none verified',
    `  keys trusted: ${r.keys.keyIds.join(', ') || 'none'} (${r.keys.source === 'pinned' ? 'pinned with --key' : 'the keys on record in the store itself; pin the published key with --key'})`,
    `  events after the latest checkpoint (chained, not yet signed): ${r.unsealedEvents}`,
  ];
  if (r.fault) {
    const f = r.fault;
    lines.push(
      `  first fault: ${f.stream ?? '(no single stream)'}${f.revision !== null ? ` revision ${f.revision}` : ''}${f.position ? `, position ${f.position}` : ''}`,
      `    ${f.problem}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
