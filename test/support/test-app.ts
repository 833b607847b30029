import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app/app.module';
import { configureApp, createHttpAdapter, NEST_APP_OPTIONS } from '../../src/app/create-app';
import { mintToken } from '../../src/auth/mint-token';
import { FixedClock } from '../../src/clock/clock';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';

export interface TestUser {
  readonly user: string;
  readonly roles: readonly string[];
  readonly unit: string;
  readonly clearance: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly store: SqliteEventStore;
  readonly clock: FixedClock;
  readonly config: AppConfig;
  /** The data directory (removed on close unless the app was started with `keepData`). */
  readonly dataDir: string;
  tokenFor(user: TestUser): Promise<string>;
  request(options: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    as?: TestUser;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are arbitrary JSON that assertions read
  }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** How many events the store holds: a refused request must leave it unchanged. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real service (every module, pipe and filter) on a fresh embedded store in a temp DATA_DIR,
 * built through @nestjs/testing and driven over HTTP with Fastify's inject.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { readonly keepData?: boolean } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-app-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
  const store = SqliteEventStore.open({ dataDir, clock });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config, clock, eventStore: store })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createHttpAdapter({ config }),
    NEST_APP_OPTIONS,
  );
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const tokenFor = (user: TestUser) => mintToken(config, { ...user, roles: [...user.roles] }, { clock });
  return {
    app,
    store,
    clock,
    config,
    dataDir,
    tokenFor,
    async request({ method, url, as, body, rawBody, headers = {} }) {
      const auth = as ? { authorization: `Bearer ${await tokenFor(as)}` } : {};
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await app.inject({
        method,
        url,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          ...auth,
          ...headers,
        },
        payload,
      });
      let parsed: unknown = response.body;
      try {
        parsed = JSON.parse(response.body);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: response.statusCode, body: parsed, headers: response.headers };
    },
    async eventCount() {
      return (await store.readAll({ limit: 1_000_000 })).length;
    },
    async close() {
      await app.close();
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const archivist: TestUser = {
  user: 'wang.fang',
  roles: ['archivist'],
  unit: 'ARCHIVE',
  clearance: 'SECRET',
};
export const salesperson: TestUser = {
  user: 'li.lei',
  roles: ['borrower'],
  unit: 'SALES',
  clearance: 'INTERNAL',
};

export { filingBody } from './record-fixtures';
