// The HTTP benchmark's baseline: a bare Nest + Fastify app with one POST endpoint that validates a
// small DTO (class-validator, the same ValidationPipe options the service uses) and answers 201.
// No auth, no store, no logging: what the framework alone costs per request.
//   node bench/lib/bare-app.mjs <port>      prints "listening <port>" once it accepts requests
// Plain JavaScript, so the decorators are applied by hand.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Body, Controller, Module, Post, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { IsIn, IsInt, IsString, MaxLength, Min } = require('class-validator');

class CreateItemDto {}
IsString()(CreateItemDto.prototype, 'name');
MaxLength(200)(CreateItemDto.prototype, 'name');
IsInt()(CreateItemDto.prototype, 'quantity');
Min(1)(CreateItemDto.prototype, 'quantity');
IsIn(['paper', 'electronic'])(CreateItemDto.prototype, 'carrier');

class ItemsController {
  create(body) {
    return { id: randomUUID(), name: body.name };
  }
}
Reflect.defineMetadata('design:paramtypes', [CreateItemDto], ItemsController.prototype, 'create');
Body()(ItemsController.prototype, 'create', 0);
Post('items')(
  ItemsController.prototype,
  'create',
  Object.getOwnPropertyDescriptor(ItemsController.prototype, 'create'),
);
Controller()(ItemsController);

class BareModule {}
Module({ controllers: [ItemsController] })(BareModule);

/** The body the load generator sends. */
export const BARE_BODY = { name: '财务部2024年度审计报告', quantity: 3, carrier: 'paper' };

export async function startBareApp(port, host = '127.0.0.1') {
  const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
    }),
  );
  await app.listen({ port, host });
  return app;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const port = Number(process.argv[2] ?? 0);
  const app = await startBareApp(port);
  const address = app.getHttpServer().address();
  process.stdout.write(`listening ${address.port}\n`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
