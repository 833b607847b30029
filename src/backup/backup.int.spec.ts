import * as fs from 'node:fs';
import { FixedClock } from '../clock/clock';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { verifyChain } from '../event-store/envelope';
import { archivist, filingBody, startTestApp, type TestApp } from '../../test/support/test-app';

describe('POST /admin/backups — online backup of the embedded store', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const admin = { user: 'ops.zhao', roles: ['administrator'], unit: 'IT', clearance: 'INTERNAL' };

  it('writes a checked copy while the service keeps serving, and the copy opens as a store', async () => {
    for (const seq of ['0001', '0002', '0003']) {
      await t.request({
        method: 'POST',
        url: '/records',
        as: archivist,
        body: filingBody({ archiveCode: `Z001-WS-2024-D30-BGS-${seq}` }),
      });
    }
    const response = await t.request({ method: 'POST', url: '/admin/backups', as: admin });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ events: 3, headPosition: '3' });
    expect(response.body.file).toMatch(
      /\/backups\/archive-ledger-2026-03-01T09-00-00-000Z-[0-9a-f]{8}\.sqlite$/,
    );

    const filedAfter = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ archiveCode: 'Z001-WS-2024-D30-BGS-0004' }),
    });
    expect(filedAfter.status).toBe(201);

    const dir = fs.mkdtempSync(`${t.config.dataDir}/restore-`);
    fs.copyFileSync(response.body.file, `${dir}/archive-ledger.sqlite`);
    const restored = SqliteEventStore.open({ dataDir: dir, clock: new FixedClock(new Date()) });
    const events = await restored.readStream('record-Z001-WS-2024-D30-BGS-0002');
    expect(events[0].data.title).toBe('关于2024年度客户合同续签的请示');
    expect(verifyChain('record-Z001-WS-2024-D30-BGS-0002', events)).toBeUndefined();
    expect(await restored.headPosition()).toBe('3');
    await restored.close();
  });

  it('refuses anyone but an administrator with 403 and writes no file', async () => {
    const response = await t.request({ method: 'POST', url: '/admin/backups', as: archivist });
    expect(response.status).toBe(403);
    expect(fs.existsSync(`${t.config.dataDir}/backups`)).toBe(false);
  });
});
