import {
  archivist,
  filingBody,
  salesperson,
  startTestApp,
  type TestApp,
} from '../../../test/support/test-app';

describe('POST /records — filing a record over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('F1: files a record and answers with the stream, revision and global position', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody(),
      headers: { 'x-correlation-id': 'desk-7-morning' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      archiveCode: 'Z001-WS-2024-D30-BGS-0007',
      stream: 'record-Z001-WS-2024-D30-BGS-0007',
      revision: 0,
      position: '1',
      events: ['ArchiveFiled'],
      replayed: false,
    });
    const [event] = await t.store.readStream('record-Z001-WS-2024-D30-BGS-0007');
    expect(event.type).toBe('ArchiveFiled');
    expect(event.data).toMatchObject({
      title: '关于2024年度客户合同续签的请示',
      isOriginal: true,
      keywords: ['合同', '续签'],
    });
    expect(event.metadata).toMatchObject({
      actor: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' },
      reason: '2024年度归档',
      correlationId: 'desk-7-morning',
      occurredAt: '2026-03-01T09:00:00.000Z',
      recordedAt: '2026-03-01T09:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('refuses a request without a bearer token with 401 and writes nothing', async () => {
    const response = await t.request({ method: 'POST', url: '/records', body: filingBody() });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('UNAUTHENTICATED');
    expect(await t.eventCount()).toBe(0);
  });

  it('refuses a caller who is not an archivist with 403 and writes nothing', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: salesperson,
      body: filingBody(),
    });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    expect(await t.eventCount()).toBe(0);
  });

  it('answers 400 naming every offending field, and writes nothing', async () => {
    const body = filingBody({ year: 'last year', carrier: 'papyrus', itemCount: 0 });
    delete body.title;
    const response = await t.request({ method: 'POST', url: '/records', as: archivist, body });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('VALIDATION_FAILED');
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'carrier',
      'itemCount',
      'title',
      'year',
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('F6: refuses to file a record without a classification (密级), naming the field', async () => {
    const body = filingBody({ classification: 'SECRET' });
    delete body.classification;
    const response = await t.request({ method: 'POST', url: '/records', as: archivist, body });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'classification', problems: ['classification is required'] },
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('refuses an unknown field, so a body cannot name another actor', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ actor: { id: 'someone.else' } }),
    });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'actor', problems: ['property actor should not exist'] }]);
    expect(await t.eventCount()).toBe(0);
  });

  it('answers 400 for malformed JSON and 415 for a body that is not JSON', async () => {
    const broken = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      rawBody: '{"archiveCode": ',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('BAD_REQUEST');
    const text = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      rawBody: 'archiveCode=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(await t.eventCount()).toBe(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ title: '档'.repeat(400_000) }),
    });
    expect(response.status).toBe(413);
    expect(await t.eventCount()).toBe(0);
  });

  it('F2: refuses a second filing under an archive code already used, with 409', async () => {
    await t.request({ method: 'POST', url: '/records', as: archivist, body: filingBody() });
    const again = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ title: '另一份文件' }),
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'ARCHIVE_CODE_TAKEN', rule: 'F2' });
    expect(await t.eventCount()).toBe(1);
  });

  it('F2: lets exactly one of twenty concurrent filings of the same code win', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/records',
          as: archivist,
          body: filingBody({ title: `并发归档 ${i}` }),
        }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await t.eventCount()).toBe(1);
  });

  it('F2: refuses a code that disagrees with the record it names, with 422 naming the rule', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ year: 2023 }),
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'ARCHIVE_CODE_INCONSISTENT', rule: 'F2' });
    expect(response.body.message).toMatch(/year/);
    expect(await t.eventCount()).toBe(0);
  });

  it('F3: refuses to file a copy without a stated reason, and files it with one', async () => {
    const refused = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ isOriginal: false }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'COPY_WITHOUT_REASON', rule: 'F3' });
    const accepted = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody({ isOriginal: false, copyReason: '原件用于报批' }),
    });
    expect(accepted.status).toBe(201);
    expect(await t.eventCount()).toBe(1);
  });

  it('appends nothing twice when a request is retried with the same Idempotency-Key', async () => {
    const send = (body: Record<string, unknown>) =>
      t.request({
        method: 'POST',
        url: '/records',
        as: archivist,
        body,
        headers: { 'idempotency-key': 'counter-3-0042' },
      });
    const first = await send(filingBody());
    const retry = await send(filingBody());
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect(await t.eventCount()).toBe(1);
    const otherRequest = await send(filingBody({ title: '换了内容' }));
    expect(otherRequest.status).toBe(409);
    expect(otherRequest.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.eventCount()).toBe(1);
  });

  it('files one of several different requests racing under one Idempotency-Key and refuses the others', async () => {
    const responses = await Promise.all(
      ['甲', '乙', '丙', '丁', '戊'].map((title) =>
        t.request({
          method: 'POST',
          url: '/records',
          as: archivist,
          body: filingBody({ title }),
          headers: { 'idempotency-key': 'race-1' },
        }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409).map((r) => r.body.error)).toEqual(
      Array(4).fill('IDEMPOTENCY_KEY_REUSED'),
    );
    const [stored] = await t.store.readStream('record-Z001-WS-2024-D30-BGS-0007');
    const winner = responses.findIndex((r) => r.status === 201);
    expect(stored.data.title).toBe(['甲', '乙', '丙', '丁', '戊'][winner]);
    expect(await t.eventCount()).toBe(1);
  });

  it('does not hand one person the result of another who used the same Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'shared-key' };
    await t.request({ method: 'POST', url: '/records', as: archivist, body: filingBody(), headers: key });
    const colleague = { ...archivist, user: 'zhang.san' };
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: colleague,
      body: filingBody(),
      headers: key,
    });
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('ARCHIVE_CODE_TAKEN');
    expect(await t.eventCount()).toBe(1);
  });

  it('answers 400 for a malformed Idempotency-Key', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBody(),
      headers: { 'idempotency-key': 'with spaces not allowed' },
    });
    expect(response.status).toBe(400);
    expect(response.body.fields[0].field).toBe('Idempotency-Key');
    expect(await t.eventCount()).toBe(0);
  });

  describe('F2: the next sequence is assigned when the filer gives only the prefix', () => {
    const prefix = 'Z001-WS-2024-D30-BGS';
    const fileUnder = (
      code: string,
      overrides: Record<string, unknown> = {},
      headers: Record<string, string> = {},
    ) =>
      t.request({
        method: 'POST',
        url: '/records',
        as: archivist,
        body: filingBody({ archiveCode: code, ...overrides }),
        headers,
      });

    it('F2: assigns 0001, then 0002, and names the code in the answer', async () => {
      const first = await fileUnder(prefix);
      const second = await fileUnder(prefix, { title: '第二份' });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(first.body.archiveCode).toBe('Z001-WS-2024-D30-BGS-0001');
      expect(second.body).toMatchObject({
        archiveCode: 'Z001-WS-2024-D30-BGS-0002',
        stream: 'record-Z001-WS-2024-D30-BGS-0002',
      });
      const [stored] = await t.store.readStream('record-Z001-WS-2024-D30-BGS-0002');
      expect(stored.data).toMatchObject({ archiveCode: 'Z001-WS-2024-D30-BGS-0002', title: '第二份' });
    });

    it('F2: skips numbers already filed by hand and never hands one out twice', async () => {
      expect((await fileUnder(`${prefix}-0001`)).status).toBe(201);
      expect((await fileUnder(`${prefix}-0003`)).status).toBe(201);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await fileUnder(prefix)).body.archiveCode);
      expect(codes).toEqual([`${prefix}-0002`, `${prefix}-0004`, `${prefix}-0005`]);
    });

    it('F2: concurrent filings under one prefix each get a different code', async () => {
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => fileUnder(prefix, { title: `并发 ${i}` })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
      const codes = responses.map((r) => r.body.archiveCode as string).sort();
      expect(codes).toEqual(Array.from({ length: 8 }, (_, i) => `${prefix}-000${i + 1}`));
    });

    it('F2: a refused filing under a prefix takes no number and writes nothing', async () => {
      const refused = await fileUnder(prefix, { isOriginal: false });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: 'COPY_WITHOUT_REASON', rule: 'F3' });
      expect(await t.eventCount()).toBe(0);
      expect((await fileUnder(prefix)).body.archiveCode).toBe(`${prefix}-0001`);
    });

    it('F2: a retry with the same Idempotency-Key files once, under the same code', async () => {
      const key = { 'idempotency-key': 'desk-2-0815' };
      const first = await fileUnder(prefix, {}, key);
      const count = await t.eventCount();
      const retry = await fileUnder(prefix, {}, key);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ ...first.body, replayed: true });
      expect(await t.eventCount()).toBe(count);
    });

    it('answers 400 for a code that is neither a full code nor a prefix', async () => {
      const response = await fileUnder('Z001-WS-2024-D30');
      expect(response.status).toBe(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['archiveCode']);
      expect(await t.eventCount()).toBe(0);
    });
  });
});
