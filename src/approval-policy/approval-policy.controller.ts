import { BadRequestException, Body, Controller, Get, Param, Put, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../command-shell/command-shell';
import { commandAccepted } from '../http/command-accepted';
import { CommandContextFrom } from '../http/command-context.decorator';
import { CommandRoute, UNAUTHENTICATED } from '../http/command-route.decorator';
import type { ErrorResponse } from '../http/error-response';
import {
  AdoptLoanApprovalPolicyDto,
  LoanApprovalPolicyDto,
  LoanApprovalPolicyVersionDto,
  PolicyAdoptedDto,
} from './approval-policy.dto';
import { DEFAULT_LOAN_APPROVAL_POLICY, type LoanApprovalPolicy } from './loan-approval.policy';
import { LoanApprovalPolicyService } from './loan-approval-policy.service';

/** `:version` from the path: a positive whole number (400 otherwise). */
class PolicyVersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) {
      const body: ErrorResponse = {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Invalid path parameter version',
        fields: [{ field: 'version', problems: ['must be a policy version: a whole number, 1 or more'] }],
      };
      throw new BadRequestException(body);
    }
    return Number(value);
  }
}

/**
 * The loan approval policy (B3–B7; docs/approval-policy.md): anyone signed in reads it, an
 * administrator adopts a new version. Loans record the version they were decided under.
 */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies/loan-approval')
export class ApprovalPolicyController {
  constructor(private readonly policies: LoanApprovalPolicyService) {}

  @Get()
  @ApiOperation({
    summary: '借阅审批制度 — the loan approval policy in force (B3–B7)',
    description:
      'The policy every new loan and renewal is decided under: version 1 is the shipped default until an administrator adopts another. To change it, send this back with PUT, `version` as `basedOnVersion`.',
  })
  @ApiResponse({ status: 200, type: LoanApprovalPolicyDto, example: DEFAULT_LOAN_APPROVAL_POLICY })
  @ApiResponse(UNAUTHENTICATED)
  current(): Promise<LoanApprovalPolicy> {
    return this.policies.current();
  }

  @Get('versions/:version')
  @ApiOperation({
    summary: 'one version of the loan approval policy, with who adopted it, when and why',
    description:
      'For auditors checking the policy a loan was decided under (its `policyVersion`). Version 1 is the shipped default (`adoption` null).',
  })
  @ApiParam({ name: 'version', example: 1, description: 'policy version, 1 or more' })
  @ApiResponse({
    status: 200,
    type: LoanApprovalPolicyVersionDto,
    example: { ...DEFAULT_LOAN_APPROVAL_POLICY, adoption: null },
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: version is not a whole number, 1 or more' })
  @ApiResponse(UNAUTHENTICATED)
  @ApiResponse({ status: 404, description: 'POLICY_VERSION_NOT_FOUND: no such version has been adopted' })
  async version(
    @Param('version', new PolicyVersionPipe()) version: number,
  ): Promise<LoanApprovalPolicyVersionDto> {
    const { policy, adoption } = await this.policies.version(version);
    return { ...policy, adoption } as LoanApprovalPolicyVersionDto;
  }

  @Put()
  @CommandRoute({
    roles: ['administrator'],
    status: 200,
    summary: '修订借阅审批制度 — adopt a new loan approval policy (B3)',
    description:
      'Appends LoanApprovalPolicyAdopted to policy-loan-approval: the whole policy is replaced and gets the next version, in force for every loan requested or renewed from now on; loans already decided keep the version they recorded. `basedOnVersion` must be the version in force, so two administrators cannot overwrite each other unknowingly.',
    answer: {
      type: PolicyAdoptedDto,
      example: {
        stream: 'policy-loan-approval',
        revision: 0,
        position: '42',
        events: ['LoanApprovalPolicyAdopted'],
        replayed: false,
        version: 2,
      },
    },
    responses: {
      400: 'VALIDATION_FAILED (malformed body) or POLICY_INVALID (unknown role, duplicate rule id, a rule without exactly one of require/refuse, periods over the maximum …); `fields` names each path, e.g. policy.rules[2].require[0].role',
      403: 'ROLE_REQUIRED: the caller is not an administrator',
      409: 'POLICY_VERSION_MOVED: another version was adopted since basedOnVersion; or IDEMPOTENCY_KEY_REUSED',
    },
  })
  async adopt(
    @Body() body: AdoptLoanApprovalPolicyDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<PolicyAdoptedDto> {
    const outcome = await this.policies.adopt(
      { basedOnVersion: body.basedOnVersion, policy: body.policy, reason: body.reason },
      context,
    );
    const [adopted] = outcome.events;
    return { ...commandAccepted(outcome), version: adopted.data.version };
  }
}
