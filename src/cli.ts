import 'reflect-metadata';
import { Command } from 'commander';
import { registerVerifyCommand } from './audit/bundle/verify.cli';
import { registerAuditCommand } from './audit/verify-all/verify-all.cli';
import { registerTokenCommand } from './auth/mint-token.cli';
import { loadConfig } from './config/config';
import { failStart, serve } from './main';
import { registerProjectionsCommand } from './projections/rebuild.cli';

/** `archive-ledger` — the command line. Every subcommand reads the same configuration as the service. */
export function buildCli(): Command {
  const program = new Command('archive-ledger')
    .description('Event-sourced records management (档案管理) with audit-grade history')
    .showHelpAfterError();
  program
    .command('serve', { isDefault: true })
    .description('run the HTTP service (configuration from the environment; see docs/operations.md)')
    .action(async () => {
      try {
        await serve(loadConfig());
      } catch (error) {
        failStart(error);
      }
    });
  registerTokenCommand(program, () => loadConfig());
  registerProjectionsCommand(program, () => loadConfig());
  registerAuditCommand(program, () => loadConfig());
  // Offline: reads no configuration and no data directory.
  registerVerifyCommand(program);
  return program;
}

/** Entry point of `bin/archive-ledger.js`. */
export function runCli(argv: readonly string[] = process.argv): void {
  buildCli()
    .parseAsync([...argv])
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    });
}

if (require.main === module) runCli();
