import * as fs from 'node:fs';
import { Command, type ErrorOptions } from 'commander';
import { describeProblem } from './bundle-problem';
import { verdictText } from './verdict-text';
import { verifyBundle, type BundleVerdict } from './verify-bundle';

/** Exit codes of `archive-ledger verify`. */
export const VERIFY_EXIT = { verified: 0, notVerified: 1, usage: 2 } as const;

class VerifyCommand extends Command {
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(message, { ...errorOptions, exitCode: VERIFY_EXIT.usage });
  }
}

/** A verifier key given inline, or the path of a file holding one (as `GET /audit/public-key` lists them). */
function readKeyArgument(value: string): string {
  if (/^[^+\s]+\+[0-9a-f]{8}\+/.test(value.trim())) return value.trim();
  try {
    return fs.readFileSync(value, 'utf8').trim();
  } catch {
    return value.trim();
  }
}

/**
 * `verify <file> [--key <verifier key>]`: check an export bundle or destruction certificate offline —
 * no configuration, no data directory, no connection to the service. Prints the verdict and the facts
 * proven; exit 0 verified, 1 not verified (with what is wrong and where), 2 usage.
 */
export function registerVerifyCommand(program: Command): void {
  const verify = new VerifyCommand('verify');
  verify.copyInheritedSettings(program);
  verify
    .description(
      'verify an export bundle or destruction certificate offline (exit 0 verified, 1 not verified, 2 usage)',
    )
    .argument('<file>', 'the bundle (JSON) from GET /records/{code}/export or …/destruction-certificate')
    .option(
      '--key <verifier-key>',
      'the log’s verifier key to trust (or a file holding it), e.g. from GET /audit/public-key; without it the key in the bundle is used, which proves only self-consistency',
    )
    .option('--json', 'print the verdict as JSON')
    .action((file: string, options: { key?: string; json?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        return verify.error(`error: cannot read ${file}: ${(error as Error).message}`, {
          code: 'archive-ledger.verify',
        });
      }
      let verdict: BundleVerdict;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        verdict = {
          verified: false,
          problem: { at: 'bundle', field: '(file)', message: `is not JSON: ${(error as Error).message}` },
          key: null,
          checkpoint: null,
          facts: null,
        };
        return finish(verdict, options.json);
      }
      verdict = verifyBundle(
        parsed,
        options.key !== undefined ? { pinnedKey: readKeyArgument(options.key) } : {},
      );
      return finish(verdict, options.json);
    });
  program.addCommand(verify);
}

function finish(verdict: BundleVerdict, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(verdict, null, 2)}\n` : verdictText(verdict));
  if (!verdict.verified && verdict.problem) {
    process.stderr.write(`error: the bundle does not verify: ${describeProblem(verdict.problem)}\n`);
  }
  process.exitCode = verdict.verified ? VERIFY_EXIT.verified : VERIFY_EXIT.notVerified;
}
