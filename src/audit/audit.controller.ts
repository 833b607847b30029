import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../auth/current-actor.decorator';
import type { CommandContext } from '../command-shell/command-shell';
import type { Actor } from '../domain-kernel/actor';
import { commandAccepted } from '../http/command-accepted';
import { CommandContextFrom } from '../http/command-context.decorator';
import { CommandRoute } from '../http/command-route.decorator';
import { QueryRoute } from '../queries/catalogue/query-route.decorator';
import {
  CheckpointDto,
  CheckpointListQueryDto,
  CheckpointPageDto,
  CheckpointQueryDto,
  ConsistencyProofDto,
  ConsistencyQueryDto,
  InclusionProofDto,
  InclusionQueryDto,
  PublicKeysDto,
  RotateSealingKeyDto,
  SealingKeyRotatedDto,
  StreamVerificationDto,
  VerifyQueryDto,
} from './audit.dto';
import { AuditService } from './audit.service';
import type { StoredCheckpoint } from './sealer/seal-store.port';
import { SealerService } from './sealer/sealer.service';

const READERS = ['auditor', 'compliance_officer'] as const;
const NOT_SEALED = 'NO_CHECKPOINT_YET: nothing has been sealed yet';
const UNAVAILABLE =
  ' Answers 503 SEALER_UNAVAILABLE while the sealer is not running (with STORE=eventstoredb: no usable signing key, SEAL_KEY_FILE; the message says why).';

/**
 * The audit trail's proofs (docs/audit.md): signed Merkle checkpoints over the global order,
 * inclusion and consistency proofs, the checkpoint keys, and verification of one stream.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly sealer: SealerService,
  ) {}

  @Get('checkpoint')
  @ApiProduces('application/json', 'text/plain')
  @QueryRoute({
    roles: [...READERS],
    summary: 'the latest signed checkpoint (C2SP tlog-checkpoint signed note)',
    description:
      'The newest tree head the sealer signed: origin, tree size and root hash, signed with Ed25519. With `format=note` or `Accept: text/plain` the signed note itself, as text.' +
      UNAVAILABLE,
    answer: { type: CheckpointDto },
    notFound: NOT_SEALED,
  })
  checkpoint(
    @Query() query: CheckpointQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): CheckpointDto | string {
    const latest = this.audit.latestCheckpoint();
    const asNote =
      query.format === 'note' || (query.format === undefined && /(^|,)\s*text\/plain\b/i.test(accept ?? ''));
    if (asNote) {
      void reply.header('content-type', 'text/plain; charset=utf-8');
      return latest.note;
    }
    return checkpointDto(latest);
  }

  @Get('checkpoints')
  @QueryRoute({
    roles: [...READERS],
    summary: 'every signed checkpoint, oldest first',
    description:
      'Pages of checkpoints in signing order (a rotation re-signs the current size with the new key).' +
      UNAVAILABLE,
    answer: { type: CheckpointPageDto },
  })
  async checkpoints(@Query() query: CheckpointListQueryDto): Promise<CheckpointPageDto> {
    const page = await this.audit.listCheckpoints(
      query.cursor === undefined ? undefined : Number(query.cursor),
      query.limit ?? 50,
    );
    return { items: page.items.map(checkpointDto), nextCursor: page.nextCursor };
  }

  @Get('proofs/inclusion')
  @QueryRoute({
    roles: [...READERS],
    summary: 'inclusion proof of one event in a tree (RFC 9162 §2.1.3)',
    description:
      'The event at `position` (as commands answer it: "42" on the embedded store, "<commit>/<prepare>" on EventStoreDB) is the leaf `leafIndex` the seal store recorded for it (on the embedded store `position - 1`); its leaf hash is SHA-256(0x00 ‖ event hash). The proof leads to the root of the tree of `treeSize` leaves (default: the latest checkpoint). ' +
      'A position that is not a sealed leaf (yet) is 404 EVENT_NOT_FOUND; a record above the caller’s clearance is answered 404 (A2).' +
      UNAVAILABLE,
    answer: { type: InclusionProofDto },
    invalid:
      'VALIDATION_FAILED (position, treeSize) or TREE_SIZE_OUT_OF_RANGE (leaf not in that tree, tree not built yet)',
    notFound: `EVENT_NOT_FOUND, or ${NOT_SEALED}`,
  })
  inclusion(@Query() query: InclusionQueryDto, @CurrentActor() actor: Actor) {
    return this.audit.inclusion(
      query.position,
      query.treeSize === undefined ? undefined : Number(query.treeSize),
      actor,
    );
  }

  @Get('proofs/consistency')
  @QueryRoute({
    roles: [...READERS],
    summary: 'consistency proof between two tree sizes (RFC 9162 §2.1.4)',
    description:
      'Proves the tree of `to` leaves (default: the latest checkpoint) extends the tree of `from` leaves: history was only appended to.' +
      UNAVAILABLE,
    answer: { type: ConsistencyProofDto },
    invalid: 'VALIDATION_FAILED, or TREE_SIZE_OUT_OF_RANGE (from > to, or a tree not built yet)',
    notFound: NOT_SEALED,
  })
  consistency(@Query() query: ConsistencyQueryDto) {
    return this.audit.consistency(Number(query.from), query.to === undefined ? undefined : Number(query.to));
  }

  @Get('public-key')
  @QueryRoute({
    roles: [...READERS, 'administrator'],
    summary: 'the checkpoint signing keys, current and retired',
    description:
      'Signed-note verifier keys (`<name>+<key id>+<base64(0x01 ‖ public key)>`) of every key that signed checkpoints, with the tree sizes each covered and each rotation’s reason.' +
      UNAVAILABLE,
    answer: { type: PublicKeysDto },
  })
  publicKey() {
    return this.audit.publicKeys();
  }

  @Get('verify')
  @QueryRoute({
    roles: [...READERS],
    summary: 'verify one stream: its hash chain and each event’s inclusion in the latest signed checkpoint',
    description:
      'Recomputes every hash from the stored bytes, checks the chain, opens the latest checkpoint with the published keys, and checks each sealed event’s inclusion proof against its root. ' +
      'Answers 200 with `verified` and, if anything is wrong, the first `fault` (stream, revision, problem). Events newer than the checkpoint are counted as `unsealedEvents`, not as faults. ' +
      'A record stream above the caller’s clearance is answered 404 (A2).' +
      UNAVAILABLE,
    answer: { type: StreamVerificationDto },
    notFound: 'STREAM_NOT_FOUND',
  })
  verify(@Query() query: VerifyQueryDto, @CurrentActor() actor: Actor) {
    return this.audit.verify(query.stream, actor);
  }

  @Post('keys/rotation')
  @CommandRoute({
    roles: ['administrator'],
    summary: 'rotate the checkpoint signing key',
    description:
      'Signs the current tree with the old key, generates a new Ed25519 key in the data directory, appends SealingKeyRotated (old and new public keys, reason, who) to stream `sealer-keys`, and re-signs the same tree size with the new key. Old checkpoints keep verifying with the old public key (GET /audit/public-key).',
    answer: { type: SealingKeyRotatedDto },
    responses: {
      400: 'VALIDATION_FAILED: reason is required',
      403: 'ROLE_REQUIRED: only an administrator',
      409: 'SEAL_KEY_EXTERNAL (the key is SEAL_KEY_FILE: replace the file instead), SEALING_KEY_MOVED, or IDEMPOTENCY_KEY_REUSED',
    },
  })
  async rotate(
    @Body() body: RotateSealingKeyDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<SealingKeyRotatedDto> {
    const { outcome, keyId, previousKeyId } = await this.sealer.rotate(body.reason, context);
    return { ...commandAccepted(outcome), keyId, previousKeyId };
  }
}

function checkpointDto(checkpoint: StoredCheckpoint): CheckpointDto {
  return {
    sequence: checkpoint.sequence,
    origin: checkpoint.keyName,
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash.toString('hex'),
    keyId: checkpoint.keyId,
    verifierKey: checkpoint.verifierKey,
    signedAt: checkpoint.signedAt,
    lastPosition: checkpoint.lastPosition,
    note: checkpoint.note,
  };
}
