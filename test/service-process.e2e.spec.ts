import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mintToken } from '../src/auth/mint-token';
import { systemClock } from '../src/clock/clock';
import { loadConfig } from '../src/config/config';
import { SqliteEventStore } from '../src/event-store/embedded/sqlite-event-store';
import { verifyChain } from '../src/event-store/envelope';
import { BUILT_SERVICE, freePort, killHard, startService } from './support/service-process';
import { filingBody } from './support/test-app';

/**
 * The built service as a real child process, killed with SIGKILL while it acknowledges concurrent
 * filings. Whatever it acknowledged must be there afterwards, and every chain must verify.
 */
const MAIN = BUILT_SERVICE;

describe('one service per data directory', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-lock-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start a second service on the same DATA_DIR, with one clear line and exit code 1', async () => {
    const first = await startService(dataDir, await freePort());
    try {
      const second = spawnSync(process.execPath, [MAIN], {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'error',
        },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr.trim()).toBe(
        `The data file ${path.join(dataDir, 'archive-ledger.sqlite')} is in use by another archive-ledger process. ` +
          'The embedded store allows one process at a time: stop the other process or use another DATA_DIR.',
      );
    } finally {
      await killHard(first);
    }
  }, 60_000);

  it('shuts down cleanly on SIGTERM: exit code 0, store closed and checkpointed, nothing lost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-term-'));
    try {
      const port = await freePort();
      const child = await startService(dir, port);
      const token = await mintToken(
        loadConfig({ DATA_DIR: dir }),
        { user: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' },
        { clock: systemClock },
      );
      const filed = await fetch(`http://127.0.0.1:${port}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(filingBody()),
      });
      expect(filed.status).toBe(201);
      const exitCode = await new Promise<number | null>((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
      expect(exitCode).toBe(0);
      // A clean close checkpoints the WAL into the main file and removes it.
      expect(fs.existsSync(path.join(dir, 'archive-ledger.sqlite-wal'))).toBe(false);
      const store = SqliteEventStore.open({ dataDir: dir, clock: systemClock });
      expect((await store.readStream('record-Z001-WS-2024-D30-BGS-0007')).map((e) => e.type)).toEqual([
        'ArchiveFiled',
      ]);
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start with bad configuration, naming each bad variable, and creates nothing', () => {
    const missing = path.join(dataDir, 'never-created');
    const result = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, DATA_DIR: missing, PORT: 'eighty', STORE: 'postgres' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  STORE="postgres": expected one of embedded, eventstoredb',
      '  PORT="eighty": expected a whole number from 0 to 65535',
    ]);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('durability of acknowledged commands under kill -9', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-crash-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(() => {
    if (!fs.existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does it)`);
  });

  it('loses no acknowledged filing, leaves every chain verifiable and every read model exact across three SIGKILLs', async () => {
    const token = await mintToken(
      loadConfig({ DATA_DIR: dataDir }),
      { user: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' },
      { clock: systemClock },
    );
    const acknowledged = new Set<string>();
    for (let round = 1; round <= 3; round++) {
      const port = await freePort();
      const child = await startService(dataDir, port);
      let sequence = 0;
      let stop = false;
      const killAfter = 40 + round * 25;
      const worker = async () => {
        while (!stop) {
          sequence += 1;
          const archiveCode = `Z001-WS-2024-D30-R${round}-${String(sequence).padStart(4, '0')}`;
          try {
            const response = await fetch(`http://127.0.0.1:${port}/records`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify(filingBody({ archiveCode, title: `崩溃测试 第${round}轮 ${sequence}` })),
            });
            if (response.status === 201) acknowledged.add(archiveCode);
            else if (response.status !== 409)
              throw new Error(`unexpected ${response.status}: ${await response.text()}`);
          } catch (error) {
            if (!stop && child.exitCode === null && !(error instanceof TypeError)) throw error;
            return; // the connection died with the process
          }
          if (acknowledged.size >= killAfter * round && !stop) {
            stop = true;
            await killHard(child);
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      if (child.exitCode === null && child.signalCode === null) await killHard(child);
    }

    // The projector was killed mid-batch too: after a restart the catalogue holds every filed
    // record exactly once, and the statistics count each once.
    const history = SqliteEventStore.open({ dataDir, clock: systemClock });
    const head = await history.headPosition();
    const filed = (await history.readAll({ limit: 1_000_000 })).filter(
      (e) => e.type === 'ArchiveFiled',
    ).length;
    await history.close();
    const port = await freePort();
    const restarted = await startService(dataDir, port);
    try {
      const get = (url: string) =>
        fetch(`http://127.0.0.1:${port}${url}`, { headers: { authorization: `Bearer ${token}` } });
      const catalogue = await get(`/records?after=${head}&limit=1`);
      expect(catalogue.status).toBe(200);
      expect(((await catalogue.json()) as { total: number }).total).toBe(filed);
      const holdings = (await (await get(`/statistics/holdings?by=category&after=${head}`)).json()) as {
        total: number;
      };
      expect(holdings.total).toBe(filed);
    } finally {
      await killHard(restarted);
    }

    const store = SqliteEventStore.open({ dataDir, clock: systemClock });
    try {
      const all = await store.readAll({ limit: 1_000_000 });
      expect(all.map((e) => Number(e.position))).toEqual(all.map((_, i) => i + 1));
      const streams = new Set(all.map((e) => e.stream));
      for (const code of acknowledged) expect(streams.has(`record-${code}`)).toBe(true);
      for (const stream of streams) {
        expect(verifyChain(stream, await store.readStream(stream))).toBeUndefined();
      }
      // The last round was killed only after 3 × 115 acknowledgements in all.
      expect(acknowledged.size).toBeGreaterThanOrEqual(115 * 3);
    } finally {
      await store.close();
    }
  }, 120_000);
});
