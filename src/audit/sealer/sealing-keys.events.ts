import type { DomainEvent } from '../../domain-kernel/decider';

/** A checkpoint key as published: its signed-note verifier key `<name>+<key id>+<base64 key>`. */
export interface PublishedSealingKey {
  /** 8 hex digits. */
  readonly keyId: string;
  readonly verifierKey: string;
}

/**
 * The checkpoint signing key was replaced (密钥轮换). Checkpoints signed before keep verifying with
 * the previous key; from `treeSize` on, checkpoints are signed with the new one.
 */
export type SealingKeyRotated = DomainEvent<
  'SealingKeyRotated',
  {
    readonly keyName: string;
    readonly previous: PublishedSealingKey;
    readonly next: PublishedSealingKey;
    /** The tree size both keys have signed at the moment of rotation. */
    readonly treeSize: number;
    readonly reason: string;
    readonly rotatedBy: { readonly id: string; readonly unit: string };
  }
>;

/** Every event of stream `sealer-keys`. */
export type SealingKeyEvent = SealingKeyRotated;

export const SEALING_KEYS_STREAM = 'sealer-keys';
