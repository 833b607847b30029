import { Command, type ErrorOptions } from 'commander';
import type { AppConfig } from '../config/config';
import { CLASSIFICATIONS } from '../domain-kernel/actor';
import { DEFAULT_TTL, mintToken } from './mint-token';
import { ROLES } from './roles';

/** Every failure of this command, including commander's own usage errors, exits with code 2. */
class TokenCommand extends Command {
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(message, { ...errorOptions, exitCode: 2 });
  }
}

/**
 * `token --user <id> --roles <a,b> --unit <unit> --clearance <level> [--ttl 8h]`: prints a bearer
 * token signed with the embedded key, and nothing else, on stdout. Use `program.parseAsync`.
 */
export function registerTokenCommand(program: Command, loadConfig: () => AppConfig): void {
  const command = new TokenCommand('token');
  command.copyInheritedSettings(program);
  command
    .description('mint a bearer token signed with the embedded key (AUTH_MODE=embedded)')
    .option('--user <id>', 'user id (the token subject)')
    .option('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--unit <unit>', 'organisational unit (部门)')
    .option('--clearance <level>', `highest classification visible: ${CLASSIFICATIONS.join(', ')}`)
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h, 7d (at most 30d)', DEFAULT_TTL)
    .action(
      async (options: { user?: string; roles?: string; unit?: string; clearance?: string; ttl: string }) => {
        let token: string;
        try {
          token = await mintToken(loadConfig(), {
            user: options.user ?? '',
            roles: (options.roles ?? '').split(','),
            unit: options.unit ?? '',
            clearance: options.clearance ?? '',
            ttl: options.ttl,
          });
        } catch (error) {
          return command.error(`error: ${(error as Error).message}`, { code: 'archive-ledger.token' });
        }
        command.configureOutput().writeOut?.(`${token}\n`);
      },
    );
  program.addCommand(command);
}
