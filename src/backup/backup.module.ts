import { Module, type DynamicModule } from '@nestjs/common';
import type { StoreKind } from '../config/config';
import { BackupController } from './backup.controller';

/** Online backups exist for the embedded store only; KurrentDB is backed up with its own tools. */
@Module({})
export class BackupModule {
  static forStore(store: StoreKind): DynamicModule {
    return { module: BackupModule, controllers: store === 'embedded' ? [BackupController] : [] };
  }
}
