import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuthGuard } from './auth.guard';
import { createTokenVerifier, TOKEN_VERIFIER } from './token-verifier';

/**
 * Bearer-token authentication for every route. Needs `APP_CONFIG` from a global module; uses
 * `CLOCK` when one is provided. In embedded mode the signing key is created at start if missing.
 */
@Module({
  providers: [
    {
      provide: TOKEN_VERIFIER,
      useFactory: (config: AppConfig, clock?: Clock) => createTokenVerifier(config, { clock }),
      inject: [APP_CONFIG, { token: CLOCK, optional: true }],
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TOKEN_VERIFIER],
})
export class AuthModule {}
