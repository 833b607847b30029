import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadConfig, type AppConfig } from '../config/config';
import { registerTokenCommand } from './mint-token.cli';
import { createTokenVerifier } from './token-verifier';

/** Runs `archive-ledger <args>` in-process and returns what a user would see. */
async function run(
  config: AppConfig,
  args: string[],
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const program = new Command('archive-ledger')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerTokenCommand(program, () => config);
  try {
    await program.parseAsync(args, { from: 'user' });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { stdout, stderr, exitCode: error.exitCode };
  }
}

describe('archive-ledger token', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'archive-ledger-cli-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints only a token that the service accepts', async () => {
    const result = await run(config, [
      'token',
      '--user',
      'u-7',
      '--roles',
      'archivist, witness',
      '--unit',
      '办公室',
      '--clearance',
      'SECRET',
    ]);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = await createTokenVerifier(config);
    await expect(verifier.verify(`Bearer ${result.stdout.trim()}`)).resolves.toEqual({
      id: 'u-7',
      roles: ['archivist', 'witness'],
      unit: '办公室',
      clearance: 'SECRET',
    });
  });

  it('lists every problem with the input on stderr and exits 2', async () => {
    const result = await run(config, [
      'token',
      '--user',
      'u-7',
      '--roles',
      'archivist,janitor',
      '--clearance',
      'ULTRA',
      '--ttl',
      'forever',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: cannot mint token: unknown role "janitor"');
    expect(result.stderr).toContain('unit must be a non-empty string');
    expect(result.stderr).toContain(
      'clearance must be one of PUBLIC, INTERNAL, SECRET, CONFIDENTIAL, TOP_SECRET; got "ULTRA"',
    );
    expect(result.stderr).toContain(
      'ttl must be a whole number followed by s, m, h or d (e.g. 30m, 8h, 7d); got "forever"',
    );
  });

  it('exits 2 on usage errors too', async () => {
    const result = await run(config, ['token', '--user', 'u-7', '--colour', 'red']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--colour'");
  });

  it('refuses to mint when tokens come from an external issuer', async () => {
    const jwks = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'jwks', JWKS_URL: 'https://sso.example/jwks' });
    const result = await run(jwks, [
      'token',
      '--user',
      'u-7',
      '--roles',
      'archivist',
      '--unit',
      'x',
      '--clearance',
      'PUBLIC',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('minting needs AUTH_MODE=embedded; AUTH_MODE is jwks');
  });
});
