import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { SignInController } from './sign-in/sign-in.controller';

/** The web console at /console (docs/console.md) and its development sign-in. */
@Module({ controllers: [ConsoleController, SignInController] })
export class ConsoleModule {}
