import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { SealerService } from '../audit/sealer/sealer.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { leaseOwner } from '../lease/lease.module';
import { ProjectorService } from '../projections/projector.service';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(ProjectorService) private readonly projector: ProjectorService,
    @Inject(SealerService) private readonly sealer: SealerService,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'The service can take traffic: its event store and read store answer and the projector is not failing (503 otherwise); shows the projection lag and where the audit sealer stands',
  })
  async ready() {
    await this.probe(`event store (${this.config.store})`, () => this.store.ping());
    await this.probe(`read store (${this.config.readStore})`, () => this.reads.ping());
    const projection = await this.projector.status();
    if (projection.state === 'failing') {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'NOT_READY',
        message: `the projector cannot apply events to the read models: ${projection.lastError ?? 'unknown error'}`,
        projection,
      });
    }
    return {
      status: 'ready',
      store: this.config.store,
      readStore: this.config.readStore,
      headPosition: (await this.store.headPosition()) ?? '0',
      projection,
      // The audit sealer (docs/audit.md): reported, but a sealing fault does not stop traffic.
      sealer: await this.sealer.status(),
      // Who does the single-instance work (one projector, one sealer at a time; docs/operations.md).
      leases: {
        instance: leaseOwner(this.config),
        projector: projection.lease?.holder?.owner ?? null,
        sealer: this.sealer.leaseStatus()?.holder?.owner ?? null,
      },
    };
  }

  private async probe(what: string, ping: () => Promise<void>): Promise<void> {
    try {
      await ping();
    } catch (error) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'NOT_READY',
        message: `${what} is not reachable: ${(error as Error).message}`,
      });
    }
  }
}
