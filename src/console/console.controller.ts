import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Public } from '../auth/public.decorator';
import { CONSOLE_CSP, CONSOLE_ROOT } from './console-page';

/**
 * The console's page. Every path under /console answers the same page (the console routes in the
 * browser), so a link to /console/records/… can be bookmarked and reloaded. The page carries no
 * data: everything it shows comes from the API with the signed-in person's token.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private page: string | undefined;

  @Public()
  @Get(['', '*'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    this.page ??= this.load();
    return this.page;
  }

  private load(): string {
    try {
      return readFileSync(path.join(CONSOLE_ROOT, 'index.html'), 'utf8');
    } catch {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'CONSOLE_NOT_BUILT',
        message: `the console has not been built (${CONSOLE_ROOT} is missing): run npm run build`,
      });
    }
  }
}
