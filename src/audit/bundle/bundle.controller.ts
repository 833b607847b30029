import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { CommandContext } from '../../command-shell/command-shell';
import type { Actor } from '../../domain-kernel/actor';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { QueryRoute } from '../../queries/catalogue/query-route.decorator';
import { ArchiveCodeParam } from '../../records/record-params';
import { CODE_PARAM, RECORD_NOT_FOUND } from '../../records/record-routes';
import type { AuditBundle } from './bundle.format';
import { AuditBundleDto, BundleQueryDto } from './bundle.dto';
import { BundleService } from './bundle.service';

const HOW =
  'Its events as stored (canonical bytes, base64), each with its leaf index and RFC 9162 inclusion proof in one signed checkpoint that covers them all, the checkpoint’s signed note and verifier key (bundle format version 2). ' +
  'Verify it offline with `archive-ledger verify <file> --key <verifier key>` (docs/audit.md). ' +
  'If the newest events are not sealed yet the service waits briefly for the sealer and has it sign; 503 SEALER_BEHIND if it cannot; 503 SEALER_UNAVAILABLE while the sealer is not running (with STORE=eventstoredb: no usable signing key). ' +
  'Clearance as for the history: 404 above the caller’s clearance, 403 ABOVE_CLEARANCE if it ever was (A2); a SECRET-or-above record needs `purpose` and the export is registered (A1). ' +
  '503 INTEGRITY_FAULT if the stored chain is broken.';

/** Export bundles and destruction certificates (D8), verifiable offline. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('records')
export class BundleController {
  constructor(private readonly bundles: BundleService) {}

  @Get(':code/export')
  @QueryRoute({
    roles: ['compliance_officer', 'auditor', 'archivist'],
    summary: 'export bundle of a record: its history with proofs, verifiable offline',
    description: `The record's stream from revision 0. ${HOW}`,
    params: [CODE_PARAM],
    answer: { type: AuditBundleDto },
    invalid: 'VALIDATION_FAILED: a malformed code or purpose; PURPOSE_REQUIRED (A1)',
    notFound: RECORD_NOT_FOUND,
  })
  exportRecord(
    @ArchiveCodeParam() archiveCode: string,
    @Query() query: BundleQueryDto,
    @CurrentActor() actor: Actor,
    @CommandContextFrom() context: Omit<CommandContext, 'reason'>,
  ): Promise<AuditBundle> {
    return this.bundles.exportRecord(actor, archiveCode, query.purpose, context);
  }

  @Get(':code/destruction-certificate')
  @QueryRoute({
    roles: ['auditor', 'compliance_officer'],
    summary: 'destruction certificate of a destroyed record (D8), verifiable offline',
    description:
      `The record's stream and its destruction list's stream (\`destruction-{listId}\`), both from revision 0, so the verifier proves who approved (capacity, role, signer, opinion, when), who witnessed, when it was destroyed, under which list and policy version. ` +
      'List events naming records above the caller’s clearance carry only their hash and proof (`withheld`, A2). 409 RECORD_NOT_DESTROYED for a record that was not destroyed. ' +
      HOW,
    params: [CODE_PARAM],
    answer: { type: AuditBundleDto },
    invalid: 'VALIDATION_FAILED: a malformed code or purpose; PURPOSE_REQUIRED (A1)',
    notFound: RECORD_NOT_FOUND,
  })
  destructionCertificate(
    @ArchiveCodeParam() archiveCode: string,
    @Query() query: BundleQueryDto,
    @CurrentActor() actor: Actor,
    @CommandContextFrom() context: Omit<CommandContext, 'reason'>,
  ): Promise<AuditBundle> {
    return this.bundles.destructionCertificate(actor, archiveCode, query.purpose, context);
  }
}
