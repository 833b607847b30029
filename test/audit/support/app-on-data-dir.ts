import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../../src/app/app.module';
import { configureApp, createHttpAdapter, NEST_APP_OPTIONS } from '../../../src/app/create-app';
import { mintToken } from '../../../src/auth/mint-token';
import { FixedClock } from '../../../src/clock/clock';
import { loadConfig } from '../../../src/config/config';
import { SqliteEventStore } from '../../../src/event-store/embedded/sqlite-event-store';
import type { TestUser } from '../../support/test-app';

/** The real service on an existing data directory (a tampered copy), driven over HTTP with inject. */
export async function startAppOn(dataDir: string) {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const clock = new FixedClock(new Date('2026-03-02T09:00:00.000Z'));
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
  return {
    async get(url: string, as: TestUser) {
      const token = await mintToken(config, { ...as, roles: [...as.roles] }, { clock });
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.statusCode, body: JSON.parse(response.body) };
    },
    close: () => app.close(),
  };
}
