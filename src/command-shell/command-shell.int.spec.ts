import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FixedClock } from '../clock/clock';
import type { Actor } from '../domain-kernel/actor';
import type { Decider, DomainEvent } from '../domain-kernel/decider';
import { DomainError, ruleBroken } from '../domain-kernel/domain-error';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { verifyChain } from '../event-store/envelope';
import type { AppendOptions, AppendResult, EventStore, ProposedEvent } from '../event-store/event-store.port';
import { CommandShell, type CommandContext } from './command-shell';

/** A tiny decider: a shelf holds at most `capacity` boxes. */
type ShelfEvent = DomainEvent<'BoxShelved', { label: string }>;
type ShelfCommand = { type: 'ShelveBox'; label: string; capacity: number };
const shelfDecider: Decider<ShelfCommand, ShelfEvent, { boxes: number }> = {
  initialState: () => ({ boxes: 0 }),
  decide: (command, state) => {
    if (state.boxes >= command.capacity) throw ruleBroken('T1', 'SHELF_FULL', 'the shelf is full');
    return [{ type: 'BoxShelved', data: { label: command.label } }];
  },
  evolve: (state) => ({ boxes: state.boxes + 1 }),
};

const actor: Actor = { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' };
const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  actor,
  correlationId: 'corr-1',
  causationId: 'req-1',
  ...overrides,
});

describe('the command shell', () => {
  let dir: string;
  let store: SqliteEventStore;
  const clock = new FixedClock(new Date('2026-05-01T10:00:00.000Z'));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-shell-'));
    store = SqliteEventStore.open({ dataDir: dir, clock });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const shelve = (shell: CommandShell, label: string, ctx = context(), capacity = 10) =>
    shell.execute({
      decider: shelfDecider,
      stream: 'shelf-A',
      commandType: 'ShelveBox',
      command: { type: 'ShelveBox', label, capacity },
      context: ctx,
    });

  it('folds the stream, decides, and appends under the caller identity with the full envelope', async () => {
    const shell = new CommandShell(store, clock, 3);
    await shelve(shell, 'box-1');
    const outcome = await shelve(
      shell,
      'box-2',
      context({ reason: '上架', occurredAt: new Date('2026-04-30T08:00:00Z') }),
    );
    expect(outcome).toMatchObject({ stream: 'shelf-A', revision: 1, position: '2', replayed: false });
    const events = await store.readStream('shelf-A');
    expect(events[1].metadata).toMatchObject({
      actor: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' },
      reason: '上架',
      occurredAt: '2026-04-30T08:00:00.000Z',
      recordedAt: '2026-05-01T10:00:00.000Z',
      correlationId: 'corr-1',
      causationId: 'req-1',
    });
    expect(verifyChain('shelf-A', events)).toBeUndefined();
  });

  it('decides against the state it read: a rule refusal writes nothing', async () => {
    const shell = new CommandShell(store, clock, 3);
    await shelve(shell, 'box-1', context(), 1);
    await expect(shelve(shell, 'box-2', context(), 1)).rejects.toMatchObject({
      kind: 'rule',
      code: 'SHELF_FULL',
      details: { rule: 'T1' },
    });
    expect(await store.readStream('shelf-A')).toHaveLength(1);
  });

  it('re-reads and decides again when another writer appended first, so the rule still holds', async () => {
    await new CommandShell(store, clock, 3).execute({
      decider: shelfDecider,
      stream: 'shelf-A',
      commandType: 'ShelveBox',
      command: { type: 'ShelveBox', label: 'box-0', capacity: 2 },
      context: context(),
    });
    // A store that lets a rival writer slip one box in just before our first append.
    let rivalDone = false;
    const racing: EventStore = Object.create(store, {
      append: {
        value: async (
          stream: string,
          events: readonly ProposedEvent[],
          options: AppendOptions,
        ): Promise<AppendResult> => {
          if (!rivalDone) {
            rivalDone = true;
            await store.append(stream, [{ ...events[0], eventId: randomUUID(), data: { label: 'rival' } }], {
              expectedRevision: 'any',
            });
          }
          return store.append(stream, events, options);
        },
      },
    });
    const shell = new CommandShell(racing, clock, 3);
    await expect(shelve(shell, 'box-1', context(), 2)).rejects.toMatchObject({ code: 'SHELF_FULL' });
    expect((await store.readStream('shelf-A')).map((e) => e.data.label)).toEqual(['box-0', 'rival']);
  });

  it('gives up with a 409-kind CONCURRENT_MODIFICATION after the bounded number of retries', async () => {
    await store.append(
      'shelf-A',
      [
        {
          eventId: randomUUID(),
          type: 'BoxShelved',
          data: { label: 'x' },
          metadata: { actor, occurredAt: 'x', correlationId: 'c', causationId: 'c', schemaVersion: 1 },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    let attempts = 0;
    const alwaysRaced: EventStore = Object.create(store, {
      append: {
        value: async (stream: string, events: readonly ProposedEvent[]) => {
          attempts++;
          await store.append(stream, [{ ...events[0], eventId: randomUUID() }], { expectedRevision: 'any' });
          return store.append(stream, events, { expectedRevision: 0 });
        },
      },
    });
    const error = await shelve(new CommandShell(alwaysRaced, clock, 2), 'box').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'CONCURRENT_MODIFICATION' });
    expect(attempts).toBe(3);
  });

  it('with an Idempotency-Key, a retried command appends nothing and answers as the first time', async () => {
    const shell = new CommandShell(store, clock, 3);
    const first = await shelve(shell, 'box-1', context({ idempotencyKey: 'k-1' }));
    await shelve(shell, 'box-2');
    const retry = await shelve(shell, 'box-1', context({ idempotencyKey: 'k-1' }));
    expect(retry).toEqual({ ...first, replayed: true });
    const events = await store.readStream('shelf-A');
    expect(events.map((e) => e.data.label)).toEqual(['box-1', 'box-2']);
  });

  it('scopes an Idempotency-Key to its caller: someone else using the same key gets a decision of their own', async () => {
    const shell = new CommandShell(store, clock, 3);
    await shelve(shell, 'box-1', context({ idempotencyKey: 'k-1' }), 1);
    const colleague: Actor = { ...actor, id: 'zhang.san' };
    await expect(
      shelve(shell, 'box-1', context({ actor: colleague, idempotencyKey: 'k-1' }), 1),
    ).rejects.toMatchObject({
      code: 'SHELF_FULL',
    });
    expect(await store.readStream('shelf-A')).toHaveLength(1);
  });

  it('refuses all but one of several different requests racing under one Idempotency-Key', async () => {
    const shell = new CommandShell(store, clock, 3);
    const outcomes = await Promise.allSettled(
      ['box-a', 'box-b', 'box-c', 'box-d'].map((label) =>
        shelve(shell, label, context({ idempotencyKey: 'k-race' })),
      ),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const winner = accepted[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof shelve>>>;
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(accepted).toHaveLength(1);
    expect(refused.map((o) => o.reason.code)).toEqual([
      'IDEMPOTENCY_KEY_REUSED',
      'IDEMPOTENCY_KEY_REUSED',
      'IDEMPOTENCY_KEY_REUSED',
    ]);
    const stored = await store.readStream('shelf-A');
    expect(stored).toHaveLength(1);
    expect(stored[0].data.label).toBe(winner.value.events[0].data.label);
  });

  it('refuses to decide on a stream whose stored history was altered, naming stream and revision', async () => {
    const shell = new CommandShell(store, clock, 3);
    await shelve(shell, 'box-1');
    await shelve(shell, 'box-2');
    const db = store.connection;
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare(
      "UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), 'box-1', 'box-X') AS BLOB) WHERE revision = 0",
    ).run();
    await expect(shelve(shell, 'box-3')).rejects.toMatchObject({
      name: 'ChainIntegrityError',
      stream: 'shelf-A',
      revision: 0,
    });
    expect(await store.readStream('shelf-A')).toHaveLength(2);
  });

  it('refuses an Idempotency-Key reused for a different command', async () => {
    const shell = new CommandShell(store, clock, 3);
    await shelve(shell, 'box-1', context({ idempotencyKey: 'k-1' }));
    await expect(shelve(shell, 'box-9', context({ idempotencyKey: 'k-1' }))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await store.readStream('shelf-A')).toHaveLength(1);
  });

  it('lets two identical requests racing with one Idempotency-Key append once', async () => {
    const shell = new CommandShell(store, clock, 3);
    const [a, b] = await Promise.all([
      shelve(shell, 'box-1', context({ idempotencyKey: 'k-2' })),
      shelve(shell, 'box-1', context({ idempotencyKey: 'k-2' })),
    ]);
    expect(a.position).toBe(b.position);
    expect(await store.readStream('shelf-A')).toHaveLength(1);
  });
});
