import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemClock } from '../clock/clock';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { SqliteReadStore } from '../read-store/embedded/sqlite-read-store';
import { people } from '../../test/support/people';
import { filingBodyOf, salesContract } from '../../test/support/record-fixtures';
import { startTestApp, type TestApp } from '../../test/support/test-app';

const CLI = path.resolve(__dirname, '../../bin/archive-ledger.js');

function cli(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'projections', 'rebuild', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

async function catalogueTitles(dataDir: string): Promise<string[]> {
  const store = SqliteEventStore.open({ dataDir, clock: systemClock });
  const reads = SqliteReadStore.open(store);
  try {
    const page = await reads.find('catalogue', { limit: 100, sort: { field: 'title', direction: 'asc' } });
    return page.items.map((d) => String(d.title));
  } finally {
    await reads.close();
    await store.close();
  }
}

describe('archive-ledger projections rebuild', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { keepData: true });
    for (const title of ['客户合同档案 甲', '客户合同档案 乙', '客户合同档案 丙']) {
      const filed = await t.request({
        method: 'POST',
        url: '/records',
        as: people.archivist,
        body: filingBodyOf({ ...salesContract, archiveCode: 'Z001-WS-2024-D30-SALES', title }),
      });
      expect(filed.status).toBe(201);
    }
    await t.request({ method: 'GET', url: '/records?after=6', as: people.archivist });
    await t.close();
  });
  afterAll(() => fs.rmSync(t.dataDir, { recursive: true, force: true }));

  it('rebuilds every read model from the first event, shows its progress, and leaves the same catalogue', async () => {
    const before = await catalogueTitles(t.dataDir);
    expect(before).toEqual(['客户合同档案 丙', '客户合同档案 乙', '客户合同档案 甲'].sort());
    const result = cli(t.dataDir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('rebuilt all read models from 6 events\n');
    // At the full bar it says what it is still doing: the indexes come after the last event.
    expect(result.stderr).toMatch(/rebuilding all read models: building indexes \[.*\] 100% \| 6\/6 events/);
    expect(await catalogueTitles(t.dataDir)).toEqual(before);
  });

  it('rebuilds one read model by name', async () => {
    const result = cli(t.dataDir, 'catalogue');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('rebuilt catalogue from 6 events\n');
    expect(await catalogueTitles(t.dataDir)).toHaveLength(3);
  });

  it('refuses an unknown read model, naming the ones there are, and changes nothing', async () => {
    const result = cli(t.dataDir, 'catalog');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'no read model named catalog; the read models are: catalogue, loan_ledger, modification_ledger, holds_register, access_register',
    );
    expect(await catalogueTitles(t.dataDir)).toHaveLength(3);
  });

  it('refuses to run while the service holds the embedded store, saying to stop it first', () => {
    const holder = SqliteEventStore.open({ dataDir: t.dataDir, clock: systemClock });
    try {
      const result = cli(t.dataDir);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/stop the service first/);
    } finally {
      void holder.close();
    }
  });
});
