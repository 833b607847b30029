import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { FixedClock } from '../../clock/clock';
import { verifyChain } from '../envelope';
import { describeEventStoreContract } from '../event-store.contract';
import { StoreLockedError } from '../event-store.errors';
import type { ProposedEvent } from '../event-store.port';
import { EMBEDDED_STORE_FILE, SqliteEventStore } from './sqlite-event-store';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describeEventStoreContract('embedded SQLite adapter', async () => {
  const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
  const store = SqliteEventStore.open({ dataDir: tempDir(), clock });
  return { store, clock, dispose: () => store.close() };
});

const event = (type: string): ProposedEvent => ({
  eventId: randomUUID(),
  type,
  data: { note: '测试' },
  metadata: {
    actor: { id: 'u1', roles: ['archivist'], unit: 'ARCHIVE' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    schemaVersion: 1,
  },
});

describe('embedded SQLite adapter — specifics', () => {
  const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));

  it('group-commits concurrent appends while failing a conflicting one alone', async () => {
    const store = SqliteEventStore.open({ dataDir: tempDir(), clock });
    await store.append('s-1', [event('A')], { expectedRevision: 'no_stream' });
    const commitsBefore = store.commitCount;
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) =>
        store.append(`g-${i}`, [event('A')], { expectedRevision: 'no_stream' }),
      ),
      store.append('s-1', [event('B')], { expectedRevision: 'no_stream' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(50);
    expect(outcomes[50].status).toBe('rejected');
    const all = await store.readAll({ limit: 1000 });
    expect(all.map((e) => Number(e.position))).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    // 51 appends issued together were written in one transaction (one fsync), not 51.
    expect(store.commitCount - commitsBefore).toBe(1);
    await store.close();
  });

  it('commits durably: WAL journal with synchronous=FULL (fsync on every commit)', async () => {
    const store = SqliteEventStore.open({ dataDir: tempDir(), clock });
    expect(store.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.connection.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  it('keeps global positions gap-free after refused appends', async () => {
    const store = SqliteEventStore.open({ dataDir: tempDir(), clock });
    await store.append('a', [event('A')], { expectedRevision: 'no_stream' });
    await expect(store.append('a', [event('B')], { expectedRevision: 5 })).rejects.toThrow();
    await store.append('b', [event('A'), event('B')], { expectedRevision: 'no_stream' });
    expect((await store.readAll({ limit: 10 })).map((e) => e.position)).toEqual(['1', '2', '3']);
    await store.close();
  });

  it('keeps every acknowledged event after the file is closed and opened again', async () => {
    const dir = tempDir();
    const first = SqliteEventStore.open({ dataDir: dir, clock });
    await first.append('r', [event('A'), event('B')], { expectedRevision: 'no_stream' });
    await first.close();
    const second = SqliteEventStore.open({ dataDir: dir, clock });
    const events = await second.readStream('r');
    expect(events.map((e) => e.type)).toEqual(['A', 'B']);
    expect(verifyChain('r', events)).toBeUndefined();
    await second.append('r', [event('C')], { expectedRevision: 1 });
    expect(await second.headPosition()).toBe('3');
    await second.close();
  });

  it('refuses, at the storage level, a row that breaks the chain or rewrites history', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open({ dataDir: dir, clock });
    await store.append('r', [event('A')], { expectedRevision: 'no_stream' });
    const db = store.connection;
    const insert = db.prepare(
      'INSERT INTO events (global_position, stream, revision, event_id, type, prev_hash, hash, canonical) VALUES (?,?,?,?,?,?,?,?)',
    );
    expect(() => insert.run(2, 'r', 1, randomUUID(), 'X', 'f'.repeat(64), 'h', Buffer.from('{}'))).toThrow(
      /CHAIN_BROKEN/,
    );
    expect(() => insert.run(2, 'r', 5, randomUUID(), 'X', 'f'.repeat(64), 'h', Buffer.from('{}'))).toThrow(
      /CHAIN_BROKEN/,
    );
    expect(() => db.prepare("UPDATE events SET type = 'Forged'").run()).toThrow(/IMMUTABLE/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/IMMUTABLE/);
    expect((await store.readStream('r')).map((e) => e.type)).toEqual(['A']);
    await store.close();
  });

  it('gives a second process on the same file a clear error instead of sharing it', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open({ dataDir: dir, clock });
    await store.append('r', [event('A')], { expectedRevision: 'no_stream' });
    const file = path.join(dir, EMBEDDED_STORE_FILE);
    const script = `
      const D = require('better-sqlite3');
      const db = new D(${JSON.stringify(file)}, { timeout: 100 });
      try { db.pragma('locking_mode = EXCLUSIVE'); db.pragma('journal_mode = WAL'); db.exec('BEGIN EXCLUSIVE; COMMIT;'); console.log('GOT-LOCK'); }
      catch (e) { console.log(e.code); }`;
    const child = spawnSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(child.stdout.trim()).toBe('SQLITE_BUSY');
    await store.close();
  });

  it('opens with StoreLockedError while another connection holds the file', () => {
    const dir = tempDir();
    const store = SqliteEventStore.open({ dataDir: dir, clock });
    // better-sqlite3 connections in one process lock like separate processes do.
    expect(() => SqliteEventStore.open({ dataDir: dir, clock })).toThrow(StoreLockedError);
    expect(() => SqliteEventStore.open({ dataDir: dir, clock })).toThrow(
      /in use by another archive-ledger process/,
    );
    return store.close();
  });

  it('stores the canonical bytes it hashed and nothing it did not', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open({ dataDir: dir, clock });
    await store.append('r', [event('A')], { expectedRevision: 'no_stream' });
    await store.close();
    const db = new Database(path.join(dir, EMBEDDED_STORE_FILE), { readonly: true });
    const row = db.prepare('SELECT canonical FROM events').get() as { canonical: Buffer };
    db.close();
    const text = row.canonical.toString('utf8');
    expect(text).toContain('"stream":"r"');
    expect(text).toContain('测试');
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
  });
});
