import { archivist, filingBody, startTestApp, type TestApp } from '../../test/support/test-app';

describe('health and API description', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('answers liveness and readiness without a token', async () => {
    expect(await t.request({ method: 'GET', url: '/health/live' })).toMatchObject({
      status: 200,
      body: { status: 'live' },
    });
    expect(await t.request({ method: 'GET', url: '/health/ready' })).toMatchObject({
      status: 200,
      body: { status: 'ready', store: 'embedded', headPosition: '0' },
    });
  });

  it('shows where the projector stands, and its lag, on /health/ready and /metrics', async () => {
    const filed = await t.request({ method: 'POST', url: '/records', as: archivist, body: filingBody() });
    const caughtUp = await t.request({
      method: 'GET',
      url: `/records?after=${filed.body.position}`,
      as: archivist,
    });
    expect(caughtUp.status).toBe(200);
    const ready = await t.request({ method: 'GET', url: '/health/ready' });
    expect(ready.body).toMatchObject({
      status: 'ready',
      readStore: 'embedded',
      headPosition: '1',
      projection: { state: 'following', checkpoint: '1', head: '1', lagEvents: 0, lagSeconds: 0 },
    });
    const metrics = await t.request({ method: 'GET', url: '/metrics' });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^archive_ledger_projection_lag_events 0$/m);
    expect(metrics.body).toMatch(/^archive_ledger_projection_lag_seconds 0$/m);
  });

  it('shows who holds the projector and sealer leases (embedded: this instance, in-process leases)', async () => {
    const app = await startTestApp({ LEASE_OWNER: 'node-a' });
    try {
      const ready = await app.request({ method: 'GET', url: '/health/ready' });
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        leases: { instance: 'node-a', projector: 'node-a', sealer: 'node-a' },
        projection: {
          state: 'following',
          lease: { name: 'projector:main', state: 'holding', store: 'in-process' },
        },
        sealer: {
          state: 'following',
          lease: { name: 'sealer', state: 'holding', holder: { owner: 'node-a', token: 1 } },
        },
      });
    } finally {
      await app.close();
    }
  });

  it('answers 400 for an ?after= that is not a position', async () => {
    const response = await t.request({ method: 'GET', url: '/records?after=abc', as: archivist });
    expect(response.status).toBe(400);
    expect(response.body.fields[0].field).toBe('after');
  });

  it('reports not ready with 503 and the reason when the event store is gone', async () => {
    await t.store.close();
    const response = await t.request({ method: 'GET', url: '/health/ready' });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      error: 'NOT_READY',
      message: expect.stringMatching(/event store \(embedded\) is not reachable/),
    });
  });

  it('serves the OpenAPI description of the routes that exist, with the bearer scheme', async () => {
    const response = await t.request({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.status).toBe(200);
    // Every route is listed in docs/security.md's role matrix; test/architecture/role-matrix.int.spec.ts
    // proves the two agree. Here: the document is served and describes the API.
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/records', '/records/{code}/loans']),
    );
    expect(response.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const filing = response.body.paths['/records'].post;
    expect(Object.keys(filing.responses).sort()).toEqual(['201', '400', '401', '403', '409', '422']);
    expect(response.body.components.schemas.FileRecordDto.properties.title.example).toMatch(
      /[\u4e00-\u9fff]/,
    );
  });
});
