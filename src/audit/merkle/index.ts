/** The audit Merkle tree (RFC 6962 / RFC 9162): pure hashing, proofs and the right-edge appender. */
export { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf, rootFromLeafHashes } from './rfc6962';
export {
  MerkleProofError,
  assembleProof,
  consistencyProblem,
  consistencyProofPlan,
  foldRange,
  inclusionProblem,
  inclusionProofPlan,
  planNodes,
  rangeNodes,
  rootFromInclusionProof,
  rootFromNodes,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
  type ProofElementPlan,
} from './proofs';
export { CompactRange, type CompletedNode } from './compact-range';
export { eventLeafHash } from './event-leaf';
