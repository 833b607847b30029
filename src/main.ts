import 'reflect-metadata';
import { createApp } from './app/create-app';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import { StoreLockedError } from './event-store/event-store.errors';

/** Start the HTTP service. Bad configuration stops the start with one line per variable. */
export async function serve(config: AppConfig): Promise<void> {
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(
    `archive-ledger listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} ` +
      `(store: ${config.store}${config.store === 'embedded' ? `, data: ${config.dataDir}` : ''}; API docs at /docs)\n`,
  );
}

/** Print a start-up failure a person can act on, and exit non-zero. */
export function failStart(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StoreLockedError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`archive-ledger failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
}

if (require.main === module) {
  try {
    serve(loadConfig()).catch(failStart);
  } catch (error) {
    failStart(error);
  }
}
