import { Module } from '@nestjs/common';
import { DestructionExecutionService } from './destruction-execution.service';
import { DestructionListController } from './destruction-list.controller';
import { DestructionListService } from './destruction-list.service';
import { DestructionSigningPolicyController } from './destruction-signing-policy.controller';
import { DestructionSigningPolicyService } from './destruction-signing-policy.service';
import { ELECTRONIC_CONTENT, NO_ELECTRONIC_CONTENT } from './electronic-content';

/**
 * Destruction (销毁, D1–D7): the destruction list aggregate (`destruction-{listId}`), its signing
 * policy (`policy-destruction-signing`), and the execution process manager. READ_STORE, CLOCK and
 * the command shell are global.
 */
@Module({
  controllers: [DestructionListController, DestructionSigningPolicyController],
  providers: [
    DestructionSigningPolicyService,
    DestructionListService,
    DestructionExecutionService,
    { provide: ELECTRONIC_CONTENT, useValue: NO_ELECTRONIC_CONTENT },
  ],
})
export class DestructionModule {}
