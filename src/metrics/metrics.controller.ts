import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '../auth/public.decorator';

/**
 * Prometheus metrics (text exposition format), e.g. `archive_ledger_projection_lag_events`.
 * Like /health, it needs no token: expose it only on the internal network.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
