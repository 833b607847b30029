import { SingleBar } from 'cli-progress';
import { Command, type ErrorOptions } from 'commander';
import { systemClock } from '../clock/clock';
import type { AppConfig } from '../config/config';
import { openEventStore } from '../event-store/event-store.module';
import { StoreLockedError } from '../event-store/event-store.errors';
import { openReadStore } from './projections.module';
import { READ_MODELS, READ_MODELS_SOURCE } from './read-models';
import { rebuildReadModels } from './rebuild';

class ProjectionsCommand extends Command {
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(message, { ...errorOptions, exitCode: 2 });
  }
}

/**
 * `projections rebuild [name]`: rebuild every read model (or one) from the first event, with a
 * progress bar on stderr. With the embedded store, stop the service first: the store file is
 * locked by the running service.
 */
export function registerProjectionsCommand(program: Command, loadConfig: () => AppConfig): void {
  const projections = new ProjectionsCommand('projections').description('read models (projections)');
  projections.copyInheritedSettings(program);
  const rebuild = new ProjectionsCommand('rebuild');
  rebuild.copyInheritedSettings(program);
  rebuild
    .description(
      `rebuild read models from the first event: all, or one of ${READ_MODELS.map((m) => m.collection.name).join(', ')}`,
    )
    .argument('[name]', 'the read model to rebuild (default: all)')
    .action(async (name: string | undefined) => {
      const names = READ_MODELS.map((m) => m.collection.name);
      if (name !== undefined && !names.includes(name)) {
        return rebuild.error(`error: no read model named ${name}; the read models are: ${names.join(', ')}`, {
          code: 'archive-ledger.projections',
        });
      }
      const config = loadConfig();
      let events;
      try {
        events = await openEventStore(config, systemClock);
      } catch (error) {
        const hint =
          error instanceof StoreLockedError ? ' (stop the service first: it holds the embedded store)' : '';
        return rebuild.error(`error: ${(error as Error).message}${hint}`, {
          code: 'archive-ledger.projections',
        });
      }
      let reads;
      try {
        reads = await openReadStore(config, events);
      } catch (error) {
        await events.close();
        return rebuild.error(`error: the read store cannot be opened: ${(error as Error).message}`, {
          code: 'archive-ledger.projections',
        });
      }
      const head = await events.headPosition();
      const total = head !== undefined && /^\d+$/.test(head) ? Number(head) : 0;
      const bar = new SingleBar({
        format: 'rebuilding {name} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left',
        stream: process.stderr,
        hideCursor: true,
        // Also report progress when stderr is a log file, not a terminal (a line every few seconds).
        noTTYOutput: true,
        notTTYSchedule: 3000,
      });
      bar.start(total, 0, { name: name ?? 'all read models' });
      try {
        const applied = await rebuildReadModels(events, reads, READ_MODELS, {
          ...(name !== undefined ? { only: name } : {}),
          batchSize: Math.max(config.projectionBatchSize, 5000),
          onProgress: ({ position }) => {
            const at = /^\d+$/.test(position) ? Number(position) : 0;
            // Every event applied; on the embedded store the indexes and the search index are
            // built next, which takes a while at the full bar.
            if (at >= total) bar.update(at, { name: `${name ?? 'all read models'}: building indexes` });
            else bar.update(at);
          },
          worker: READ_MODELS_SOURCE,
        });
        bar.update(total);
        bar.stop();
        process.stdout.write(`rebuilt ${name ?? 'all read models'} from ${applied} events\n`);
      } catch (error) {
        bar.stop();
        return rebuild.error(`error: ${(error as Error).message}`, { code: 'archive-ledger.projections' });
      } finally {
        await reads.close();
        await events.close();
      }
    });
  projections.addCommand(rebuild);
  program.addCommand(projections);
}
