import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../command-shell/command-shell';
import { commandAccepted } from '../http/command-accepted';
import { CommandContextFrom } from '../http/command-context.decorator';
import { CommandRoute, UNAUTHENTICATED } from '../http/command-route.decorator';
import {
  AdoptDestructionSigningPolicyDto,
  DestructionPolicyAdoptedDto,
  DestructionSigningPolicyDto,
} from './destruction.dto';
import {
  DEFAULT_DESTRUCTION_SIGNING_POLICY,
  type DestructionSigningPolicy,
} from './destruction-signing.policy';
import { DestructionSigningPolicyService } from './destruction-signing-policy.service';

/** The destruction signing policy (D3; docs/disposition.md): anyone signed in reads it, an administrator adopts a new version. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies/destruction-signing')
export class DestructionSigningPolicyController {
  constructor(private readonly policies: DestructionSigningPolicyService) {}

  @Get()
  @ApiOperation({
    summary: '销毁签署制度 — the destruction signing policy in force (D3)',
    description:
      'The capacities every new destruction list must be signed in, the role (and unit) that fills each, and the archives and office unit codes. Version 1 is the shipped default until an administrator adopts another; lists keep the version they were drafted under.',
  })
  @ApiResponse({
    status: 200,
    type: DestructionSigningPolicyDto,
    example: DEFAULT_DESTRUCTION_SIGNING_POLICY,
  })
  @ApiResponse(UNAUTHENTICATED)
  current(): Promise<DestructionSigningPolicy> {
    return this.policies.current();
  }

  @Put()
  @CommandRoute({
    roles: ['administrator'],
    status: 200,
    summary: '修订销毁签署制度 — adopt a new destruction signing policy (D3)',
    description:
      'Appends DestructionSigningPolicyAdopted to policy-destruction-signing: the whole policy is replaced and gets the next version, in force for lists drafted from now on. `basedOnVersion` must be the version in force.',
    answer: { type: DestructionPolicyAdoptedDto },
    responses: {
      400: 'VALIDATION_FAILED or POLICY_INVALID: `fields` names each path, e.g. policy.signatures[2].role',
      403: 'ROLE_REQUIRED: the caller is not an administrator',
      409: 'POLICY_VERSION_MOVED or IDEMPOTENCY_KEY_REUSED',
    },
  })
  async adopt(
    @Body() body: AdoptDestructionSigningPolicyDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionPolicyAdoptedDto> {
    const outcome = await this.policies.adopt(
      { basedOnVersion: body.basedOnVersion, policy: body.policy, reason: body.reason },
      context,
    );
    const [adopted] = outcome.events;
    return { ...commandAccepted(outcome), version: adopted.data.version };
  }
}
