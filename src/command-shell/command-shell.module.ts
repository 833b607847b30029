import { Global, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CommandShell } from './command-shell';

@Global()
@Module({
  providers: [
    {
      provide: CommandShell,
      useFactory: (store: EventStore, clock: Clock, config: AppConfig) =>
        new CommandShell(store, clock, config.commandRetries),
      inject: [EVENT_STORE, CLOCK, APP_CONFIG],
    },
  ],
  exports: [CommandShell],
})
export class CommandShellModule {}
