import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ESLINT = path.resolve(__dirname, '../../node_modules/eslint/bin/eslint.js');

/** Run the project's real ESLint configuration in a child process (its config is an ES module). */
function runEslint(args: string[], stdin?: string): { filePath: string; messages: { message: string }[] }[] {
  const result = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...args], {
    input: stdin,
    encoding: 'utf8',
  });
  if (!result.stdout) throw new Error(`eslint failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The ESLint rule that keeps deciders, events and policies pure, tried on code that breaks it. */
describe('domain purity rule', () => {
  const lint = async (filePath: string, code: string) => {
    const [result] = runEslint(['--stdin', '--stdin-filename', filePath], code);
    return result.messages.map((m) => m.message);
  };

  it('refuses framework, database and clock access in a decider', async () => {
    const messages = await lint(
      'src/records/fake.decider.ts',
      [
        "import { Injectable } from '@nestjs/common';",
        "import Database from 'better-sqlite3';",
        "import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';",
        'export const stamp = () => [Injectable, Database, SqliteEventStore, Date.now(), new Date(), Math.random()];',
      ].join('\n'),
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Domain code must not depend on NestJS/),
        expect.stringMatching(/Domain code must not touch a database or client/),
        expect.stringMatching(/Domain code must not import infrastructure/),
        expect.stringMatching(/injected clock/),
        expect.stringMatching(/Ids come in with the command/),
      ]),
    );
    expect(messages.filter((m) => /injected clock/.test(m))).toHaveLength(2);
  });

  it('allows the same imports outside the domain, in a handler', async () => {
    const messages = await lint(
      'src/records/fake.handler.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = [Injectable, Date.now()];\n",
    );
    expect(messages).toEqual([]);
  });

  it('finds the current domain files clean', async () => {
    const results = runEslint(['src/**/*.decider.ts', 'src/**/*.events.ts', 'src/domain-kernel/**/*.ts']);
    expect(results.length).toBeGreaterThan(0);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
