import { Module } from '@nestjs/common';
import { DestructionRegisterController } from './destruction-register.controller';

/** The destruction register (D7). READ_STORE and ProjectionFreshness are global (ProjectionsModule). */
@Module({ controllers: [DestructionRegisterController] })
export class DestructionQueriesModule {}
