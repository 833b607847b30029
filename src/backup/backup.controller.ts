import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { EVENT_STORE } from '../event-store/event-store.port';

class BackupDto {
  @ApiProperty({ example: '/var/lib/archive-ledger/backups/archive-ledger-2026-11-23T13-20-00-000Z.sqlite' })
  file!: string;
  @ApiProperty({ example: 1048576 })
  bytes!: number;
  @ApiProperty({ example: 5231, description: 'events in the copy' })
  events!: number;
  @ApiProperty({ example: '5231', description: 'global position of the newest event in the copy' })
  headPosition!: string;
}

/** Online backup of the embedded store (present only when STORE=embedded). */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/backups')
export class BackupController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: SqliteEventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('administrator')
  @ApiOperation({
    summary: 'Back up the embedded store while it serves',
    description:
      'Writes a consistent copy of the SQLite file to DATA_DIR/backups/, checks it (integrity, event count) and answers where it is. Copy it off the machine together with DATA_DIR/keys/.',
  })
  @ApiResponse({ status: 201, type: BackupDto })
  @ApiResponse({ status: 403, description: 'caller is not an administrator' })
  backup(): Promise<BackupDto> {
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const unique = randomUUID().slice(0, 8);
    return this.store.backup(
      path.join(this.config.dataDir, 'backups', `archive-ledger-${stamp}-${unique}.sqlite`),
    );
  }
}
