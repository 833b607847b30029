import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Controller, Get, Global, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, loadConfig } from '../config/config';
import type { Actor } from '../domain-kernel/actor';
import { AuthModule } from './auth.module';
import { CurrentActor } from './current-actor.decorator';
import { mintToken, type TokenRequest } from './mint-token';
import { Public } from './public.decorator';
import { RequireRoles } from './require-roles.decorator';

@Controller('things')
class ThingsController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Get('me')
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @RequireRoles('auditor', 'compliance_officer')
  @Get('audit')
  audit(@CurrentActor() actor: Actor): { auditedBy: string } {
    return { auditedBy: actor.id };
  }
}

@Public()
@Controller('health')
class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

describe('AuthGuard over HTTP (Fastify)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'archive-ledger-guard-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  let app: NestFastifyApplication;

  @Global()
  @Module({ providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] })
  class TestConfigModule {}

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule, AuthModule],
      controllers: [ThingsController, HealthController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = (request: Partial<TokenRequest> = {}): Promise<string> =>
    mintToken(config, {
      user: 'u-1001',
      roles: ['archivist'],
      unit: '档案室',
      clearance: 'INTERNAL',
      ...request,
    });
  const get = (url: string, authorization?: string) =>
    app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });

  it('lets anyone reach public routes and public controllers', async () => {
    const open = await get('/things/open');
    expect(open.statusCode).toBe(200);
    expect(open.json()).toEqual({ open: true });
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
  });

  it('answers 401 with a Bearer challenge when no token is sent', async () => {
    const response = await get('/things/me');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'UNAUTHENTICATED',
      message: 'missing bearer token',
    });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="archive-ledger"');
  });

  it('answers 401 invalid_token saying what is wrong with a bad token', async () => {
    const valid = await token();
    const forged = `${valid.slice(0, valid.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    const response = await get('/things/me', `Bearer ${forged}`);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'UNAUTHENTICATED',
      message: 'token signature invalid',
    });
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="archive-ledger", error="invalid_token", error_description="token signature invalid"',
    );

    const garbage = await get('/things/me', 'Bearer abc.def');
    expect(garbage.statusCode).toBe(401);
    expect(garbage.json().message).toMatch(/^token malformed: /);
  });

  it('keeps the challenge header a legal quoted string whatever the message holds', async () => {
    const { SignJWT } = await import('jose');
    const { loadOrCreateSigningKey } = await import('./signing-key');
    const key = await loadOrCreateSigningKey(dataDir);
    const odd = await new SignJWT({ roles: ['档案"员\\'], unit: 'x', clearance: 'PUBLIC' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('u-1')
      .setIssuer(config.jwtIssuer)
      .setAudience(config.jwtAudience)
      .setExpirationTime('1h')
      .sign(key.privateKey);
    const response = await get('/things/me', `Bearer ${odd}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain(
      'claim roles must be an array of known roles: unknown "档案\\"员\\\\"',
    );
    const challenge = String(response.headers['www-authenticate']);
    expect(challenge).toMatch(
      /^Bearer realm="archive-ledger", error="invalid_token", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]*"$/,
    );
  });

  it('passes a valid token and gives the handler the actor from it', async () => {
    const response = await get(
      '/things/me',
      `Bearer ${await token({ roles: ['archivist', 'borrower'], clearance: 'SECRET' })}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: 'u-1001',
      roles: ['archivist', 'borrower'],
      unit: '档案室',
      clearance: 'SECRET',
    });
  });

  it('answers 403 ROLE_REQUIRED when the actor has none of the required roles', async () => {
    const response = await get('/things/audit', `Bearer ${await token()}`);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      statusCode: 403,
      error: 'FORBIDDEN',
      code: 'ROLE_REQUIRED',
      message: 'requires one of the roles: auditor, compliance_officer',
    });
  });

  it('lets an actor with one of the required roles through', async () => {
    const response = await get(
      '/things/audit',
      `Bearer ${await token({ user: 'c-9', roles: ['compliance_officer'] })}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auditedBy: 'c-9' });
  });
});
