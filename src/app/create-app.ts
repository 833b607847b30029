import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { systemClock } from '../clock/clock';
import { serveConsoleAssets } from '../console/console-page';
import { openEventStore } from '../event-store/event-store.module';
import { ErrorFilter } from '../http/error.filter';
import { createValidationPipe } from '../http/validation.pipe';
import { AppModule, type AppOptions } from './app.module';

export function createHttpAdapter(options: AppOptions): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: options.config.bodyLimitBytes,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\x21-\x7e]{1,100}$/.test(given) ? given : randomUUID();
    },
    // Errors Fastify meets before routing (a malformed URL) get the same body as every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const statusCode = error.statusCode ?? 400;
      void reply.code(statusCode).send({
        statusCode,
        error: statusCode === 400 ? 'BAD_REQUEST' : 'INTERNAL_ERROR',
        message: error.message,
        correlationId: String(request.id),
      });
    },
  });
}

/**
 * Options for creating the Nest application. Nest's own body parsers are off: Fastify's JSON parser
 * is the only one (Nest would add a form parser), so any other body gets 415.
 */
export const NEST_APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/** Everything the running service and the HTTP tests share: pipes, filters, OpenAPI. */
export function configureApp(app: NestFastifyApplication): void {
  // The API speaks JSON only: any other body gets 415 instead of being read as a string.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // On SIGTERM/SIGINT: stop taking requests, close the event store (flushing queued appends), exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  serveConsoleAssets(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('archive-ledger')
      .setDescription(
        'Event-sourced records management (档案管理) with audit-grade history. Every command answers with the global ' +
          'position it reached. Errors: 400 with the offending fields, 401/403, 404, 409 for conflicts, 422 naming the broken rule.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

/**
 * Build the service, ready to listen. The event store is opened first, so a locked or unreachable
 * store stops the start with its own message rather than a framework stack trace.
 */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const clock = options.clock ?? systemClock;
  const eventStore = options.eventStore ?? (await openEventStore(options.config, clock));
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ ...options, clock, eventStore }),
    createHttpAdapter(options),
    { ...NEST_APP_OPTIONS, abortOnError: false },
  );
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
