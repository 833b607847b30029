import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Public } from '../../auth/public.decorator';
import { mintToken } from '../../auth/mint-token';
import { CLOCK, type Clock } from '../../clock/clock';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Actor } from '../../domain-kernel/actor';
import { invalid, notFound } from '../../domain-kernel/domain-error';
import { DEMO_USERS, type DemoUser } from './demo-users';
import { DevSignInDto } from './dev-sign-in.dto';

/** What the console's sign-in page offers: a token field always, demo users in development mode. */
export interface SignInOptions {
  readonly authMode: AppConfig['authMode'];
  readonly devSignIn: boolean;
  readonly demoUsers: readonly DemoUser[];
}

@ApiTags('console')
@Controller('auth')
export class SignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Public()
  @Get('sign-in-options')
  @ApiOperation({
    summary:
      "How to sign in to the console: the identity provider's token, or (development mode) a demo user",
  })
  options(): SignInOptions {
    return {
      authMode: this.config.authMode,
      devSignIn: this.config.devSignIn,
      demoUsers: this.config.devSignIn ? DEMO_USERS : [],
    };
  }

  @Public()
  @Post('dev-sign-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'DEVELOPMENT MODE ONLY: mint an 8-hour token for a demo user',
    description:
      'Only with AUTH_MODE=embedded and DEV_SIGN_IN not off; otherwise 404. Anyone who can reach the service can ' +
      'act as any demo user this way: turn it off (DEV_SIGN_IN=off) wherever real records are kept.',
  })
  async signIn(@Body() body: DevSignInDto): Promise<{ token: string; user: DemoUser }> {
    if (!this.config.devSignIn) {
      throw notFound(
        'DEV_SIGN_IN_OFF',
        this.config.authMode === 'embedded'
          ? 'development sign-in is off (DEV_SIGN_IN=off): sign in with a token'
          : `development sign-in needs AUTH_MODE=embedded (it is ${this.config.authMode}): sign in with your identity provider's token`,
      );
    }
    const user = DEMO_USERS.find((candidate) => candidate.user === body.user);
    if (user === undefined) {
      throw invalid('UNKNOWN_DEMO_USER', `no demo user ${body.user}`, [
        { field: 'user', problems: [`must be one of ${DEMO_USERS.map((u) => u.user).join(', ')}`] },
      ]);
    }
    const token = await mintToken(this.config, { ...user, roles: [...user.roles] }, { clock: this.clock });
    return { token, user };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Who the service takes the bearer of this token to be (the console checks a pasted token with it)',
  })
  me(@CurrentActor() actor: Actor): Actor {
    return { id: actor.id, roles: actor.roles, unit: actor.unit, clearance: actor.clearance };
  }
}
