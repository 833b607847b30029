import { archivist, filingBody, startTestApp, type TestApp } from '../../test/support/test-app';

/** What any client sees at the HTTP edge when it sends something the API cannot take. */
describe('the HTTP edge refuses bad input clearly and writes nothing', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const file = (body: unknown, headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: '/records', as: archivist, body, headers });

  it('answers 400 for JSON nested absurdly deep, instead of overflowing the stack', async () => {
    const deep = '{"a":'.repeat(5000) + '"x"' + '}'.repeat(5000);
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      rawBody: JSON.stringify(filingBody()).replace(/}$/, `,"deep":${deep}}`),
    });
    expect(response.status).toBe(400);
    expect(response.body.fields[0]).toEqual({
      field: 'deep.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a',
      problems: ['must not nest deeper than 32 levels'],
    });
    expect(await t.eventCount()).toBe(0);
  });

  it('answers 400 for text that is not well-formed Unicode (a lone surrogate), naming the field', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      rawBody: JSON.stringify(filingBody()).replace('"关于', '"\\ud800关于'),
    });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'title', problems: ['must be well-formed Unicode text (no lone surrogates)'] },
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('refuses null in an optional field instead of storing it', async () => {
    const response = await file(filingBody({ pageCount: null, documentNumber: null }));
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'documentNumber',
      'pageCount',
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('answers 415 for a form-encoded body: the API speaks JSON only', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      rawBody: 'archiveCode=Z001-WS-2024-D30-BGS-0007',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body.error).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await t.eventCount()).toBe(0);
  });

  it('answers an unknown route with 404 and a stable error code', async () => {
    const response = await t.request({ method: 'GET', url: '/no-such-thing', as: archivist });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      statusCode: 404,
      error: 'NOT_FOUND',
      correlationId: expect.any(String),
    });
  });

  it('answers a malformed URL with 400 in the same error shape', async () => {
    const response = await t.request({ method: 'GET', url: '/records/%', as: archivist });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'BAD_REQUEST',
      correlationId: expect.any(String),
    });
  });

  it('explains a repeated Idempotency-Key header', async () => {
    const response = await file(filingBody(), { 'idempotency-key': 'k-1, k-2' });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      {
        field: 'Idempotency-Key',
        problems: ['must be sent once, as 1 to 200 visible ASCII characters without commas'],
      },
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('answers 503 INTEGRITY_FAULT, naming stream and revision, when stored history was altered', async () => {
    await file(filingBody());
    const db = t.store.connection;
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare(
      "UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), '续签', '伪造') AS BLOB)",
    ).run();
    const response = await file(filingBody({ title: '再次归档' }));
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'INTEGRITY_FAULT' });
    expect(response.body.message).toMatch(
      /record-Z001-WS-2024-D30-BGS-0007 fails verification at revision 0/,
    );
    expect(await t.eventCount()).toBe(1);
  });
});
