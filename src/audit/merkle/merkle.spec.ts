import { createHash } from 'node:crypto';
import rfc6962Vectors from './testdata/rfc6962-merkle.json';
import proofVectors from './testdata/transparency-dev-proofs.json';
import {
  CompactRange,
  EMPTY_ROOT,
  assembleProof,
  consistencyProblem,
  consistencyProofPlan,
  eventLeafHash,
  hashChildren,
  hashLeaf,
  inclusionProblem,
  inclusionProofPlan,
  rootFromInclusionProof,
  rootFromLeafHashes,
  rootFromNodes,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
} from './index';

const hex = (h: string) => Buffer.from(h, 'hex');
const leafInputs = rfc6962Vectors.leafInputsHex.map(hex);
const roots = rfc6962Vectors.rootHashByTreeSizeHex.map(hex);
const leafHashes = leafInputs.map(hashLeaf);

/** A node store as the sealer keeps one: every node the appender completes, by (level, index). */
function treeOf(hashes: readonly Buffer[]): { range: CompactRange; read: (id: NodeId) => Buffer } {
  const nodes = new Map<string, Buffer>();
  const range = CompactRange.empty();
  for (const leaf of hashes) {
    for (const node of range.append(leaf)) nodes.set(`${node.level}/${node.index}`, node.hash);
  }
  const read = (id: NodeId) => {
    const hash = nodes.get(`${id.level}/${id.index}`);
    if (!hash) throw new Error(`node ${id.level}/${id.index} is not stored`);
    return hash;
  };
  return { range, read };
}

/** RFC 9162 §2.1.1 MTH, written straight from the definition, as the reference. */
function mth(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return hashChildren(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}
function referencePath(m: number, hashes: readonly Buffer[]): Buffer[] {
  if (hashes.length <= 1) return [];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return m < k
    ? [...referencePath(m, hashes.slice(0, k)), mth(hashes.slice(k))]
    : [...referencePath(m - k, hashes.slice(k)), mth(hashes.slice(0, k))];
}
function referenceSubproof(m: number, hashes: readonly Buffer[], complete: boolean): Buffer[] {
  const n = hashes.length;
  if (m === n) return complete ? [] : [mth(hashes)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m <= k
    ? [...referenceSubproof(m, hashes.slice(0, k), complete), mth(hashes.slice(k))]
    : [...referenceSubproof(m - k, hashes.slice(k), false), mth(hashes.slice(0, k))];
}

const someHash = hex('abacaba000000000000000000000000000000000000000000060061e00123456');
const flipBit = (proof: readonly Buffer[], i: number, mask: number) =>
  proof.map((p, j) => (j === i ? Buffer.from(p.map((b, at) => (at === 0 ? b ^ mask : b))) : p));

describe('Merkle tree hashing (RFC 6962 vectors, transparency-dev testonly/constants.go)', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(EMPTY_ROOT).toEqual(roots[0]);
    expect(rootFromLeafHashes([])).toEqual(roots[0]);
  });

  it.each(roots.map((root, size) => [size, root] as const))(
    'computes the published root of the first %i leaves three ways: bottom-up, appender, stored nodes',
    (size, root) => {
      const hashes = leafHashes.slice(0, size);
      expect(rootFromLeafHashes(hashes).toString('hex')).toBe(root.toString('hex'));
      const { range, read } = treeOf(hashes);
      expect(range.root().toString('hex')).toBe(root.toString('hex'));
      expect(rootFromNodes(size, read).toString('hex')).toBe(root.toString('hex'));
    },
  );

  it('takes the leaf input as the leaf hash preimage after 0x00, and a node as 0x01 ‖ left ‖ right', () => {
    expect(hashLeaf(Buffer.alloc(0))).toEqual(
      createHash('sha256')
        .update(Buffer.from([0]))
        .digest(),
    );
    expect(hashChildren(leafHashes[0], leafHashes[1])).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), leafHashes[0], leafHashes[1]]))
        .digest(),
    );
  });

  it('makes an event leaf of the 32 raw bytes of its hex hash', () => {
    const eventHash = 'ab'.repeat(32);
    expect(eventLeafHash(eventHash)).toEqual(hashLeaf(Buffer.alloc(32, 0xab)));
    expect(() => eventLeafHash('AB'.repeat(32))).toThrow(/64 lowercase hex/);
  });

  it('resumes the appender from its edge nodes and reaches the same roots', () => {
    const many = Array.from({ length: 100 }, (_, i) => hashLeaf(Buffer.from([i])));
    for (const cut of [0, 1, 2, 3, 7, 8, 33, 64, 99]) {
      const { read } = treeOf(many.slice(0, cut));
      const resumed = CompactRange.fromEdge(cut, CompactRange.edgeIds(cut).map(read));
      for (const leaf of many.slice(cut)) resumed.append(leaf);
      expect(resumed.root()).toEqual(mth(many));
    }
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3; transparency-dev proof/verify_test.go vectors)', () => {
  const { read } = treeOf(leafHashes);

  it.each(proofVectors.inclusion)(
    'generates and verifies the published proof for leaf $leafIndex of $treeSize',
    ({ leafIndex, treeSize, proof }) => {
      const generated = assembleProof(inclusionProofPlan(leafIndex, treeSize), read);
      expect(generated.map((h) => h.toString('hex'))).toEqual(proof);
      const root = roots[treeSize];
      expect(rootFromInclusionProof(leafIndex, treeSize, leafHashes[leafIndex], proof.map(hex))).toEqual(
        root,
      );
      expect(verifyInclusion(leafIndex, treeSize, leafHashes[leafIndex], proof.map(hex), root)).toBe(true);
    },
  );

  it.each(proofVectors.inclusion.filter((v) => v.treeSize > 1))(
    'refuses every corruption of the proof for leaf $leafIndex of $treeSize',
    ({ leafIndex, treeSize, proof: proofHex }) => {
      const proof = proofHex.map(hex);
      const root = roots[treeSize];
      const leaf = leafHashes[leafIndex];
      const probes: [string, number, number, Buffer, readonly Buffer[], Buffer][] = [
        ['leaf index - 1', leafIndex - 1, treeSize, leaf, proof, root],
        ['leaf index + 1', leafIndex + 1, treeSize, leaf, proof, root],
        ['leaf index ^ 2', leafIndex ^ 2, treeSize, leaf, proof, root],
        ['tree size * 2', leafIndex, treeSize * 2, leaf, proof, root],
        ['tree size / 2', leafIndex, Math.floor(treeSize / 2), leaf, proof, root],
        ['wrong leaf', leafIndex, treeSize, Buffer.from('WrongLeaf'), proof, root],
        ['empty root', leafIndex, treeSize, leaf, proof, EMPTY_ROOT],
        ['random root', leafIndex, treeSize, leaf, proof, someHash],
        ['trailing garbage', leafIndex, treeSize, leaf, [...proof, Buffer.alloc(0)], root],
        ['trailing root', leafIndex, treeSize, leaf, [...proof, root], root],
        ['preceding garbage', leafIndex, treeSize, leaf, [Buffer.alloc(0), ...proof], root],
        ['preceding root', leafIndex, treeSize, leaf, [root, ...proof], root],
        ['removed component', leafIndex, treeSize, leaf, proof.slice(0, -1), root],
        ['inserted component', leafIndex, treeSize, leaf, [proof[0], someHash, ...proof.slice(1)], root],
        ...proof.map(
          (_, i) =>
            [`modified proof[${i}] bit 3`, leafIndex, treeSize, leaf, flipBit(proof, i, 8), root] as [
              string,
              number,
              number,
              Buffer,
              readonly Buffer[],
              Buffer,
            ],
        ),
      ];
      const accepted = probes
        .filter(([, i, n, l, p, r]) => i >= 0 && verifyInclusion(i, n, l, p, r))
        .map(([what]) => what);
      expect(accepted).toEqual([]);
    },
  );

  it('refuses a leaf outside the tree, and a one-leaf tree whose root is not the leaf', () => {
    expect(inclusionProblem(0, 0, someHash, [], EMPTY_ROOT)).toMatch(/beyond tree size 0/);
    expect(inclusionProblem(2, 1, someHash, [], someHash)).toMatch(/beyond tree size 1/);
    expect(verifyInclusion(0, 1, someHash, [], someHash)).toBe(true);
    expect(verifyInclusion(0, 1, someHash, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], someHash)).toBe(false);
  });

  it('generates, for every leaf of trees of 1 to 40 leaves, the proof of the RFC definition, and it verifies', () => {
    const many = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
    const tree = treeOf(many);
    for (let size = 1; size <= many.length; size++) {
      const root = mth(many.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = assembleProof(inclusionProofPlan(index, size), tree.read);
        expect(proof).toEqual(referencePath(index, many.slice(0, size)));
        expect(verifyInclusion(index, size, many[index], proof, root)).toBe(true);
      }
    }
  });
});

describe('consistency proofs (RFC 9162 §2.1.4; transparency-dev proof/verify_test.go vectors)', () => {
  const { read } = treeOf(leafHashes);

  it.each(proofVectors.consistency)(
    'generates and verifies the published proof from $fromSize to $toSize',
    ({ fromSize, toSize, proof }) => {
      const generated = assembleProof(consistencyProofPlan(fromSize, toSize), read);
      expect(generated.map((h) => h.toString('hex'))).toEqual(proof);
      expect(
        consistencyProblem(fromSize, toSize, proof.map(hex), roots[fromSize], roots[toSize]),
      ).toBeUndefined();
    },
  );

  it.each(proofVectors.consistency.filter((v) => v.proof.length > 0))(
    'refuses every corruption of the proof from $fromSize to $toSize',
    ({ fromSize, toSize, proof: proofHex }) => {
      const proof = proofHex.map(hex);
      const [r1, r2] = [roots[fromSize], roots[toSize]];
      const probes: [string, number, number, Buffer, Buffer, readonly Buffer[]][] = [
        ['size1 - 1', fromSize - 1, toSize, r1, r2, proof],
        ['size1 + 1', fromSize + 1, toSize, r1, r2, proof],
        ['size1 ^ 2', fromSize ^ 2, toSize, r1, r2, proof],
        ['size2 * 2', fromSize, toSize * 2, r1, r2, proof],
        ['size2 / 2', fromSize, Math.floor(toSize / 2), r1, r2, proof],
        ['wrong root1', fromSize, toSize, Buffer.from('WrongRoot'), r2, proof],
        ['wrong root2', fromSize, toSize, r1, Buffer.from('WrongRoot'), proof],
        ['swapped roots', fromSize, toSize, r2, r1, proof],
        ['empty proof', fromSize, toSize, r1, r2, []],
        ['trailing garbage', fromSize, toSize, r1, r2, [...proof, Buffer.alloc(0)]],
        ['trailing root1', fromSize, toSize, r1, r2, [...proof, r1]],
        ['trailing root2', fromSize, toSize, r1, r2, [...proof, r2]],
        ['preceding garbage', fromSize, toSize, r1, r2, [Buffer.alloc(0), ...proof]],
        ['preceding root1', fromSize, toSize, r1, r2, [r1, ...proof]],
        ['preceding root2', fromSize, toSize, r1, r2, [r2, ...proof]],
        ['preceding proof[0]', fromSize, toSize, r1, r2, [proof[0], ...proof]],
        ['truncated proof', fromSize, toSize, r1, r2, proof.slice(0, -1)],
        ...proof.map(
          (_, i) =>
            [`modified proof[${i}] bit 4`, fromSize, toSize, r1, r2, flipBit(proof, i, 16)] as [
              string,
              number,
              number,
              Buffer,
              Buffer,
              readonly Buffer[],
            ],
        ),
      ];
      const accepted = probes.filter(([, m, n, a, b, p]) => verifyConsistency(m, n, p, a, b)).map(([w]) => w);
      expect(accepted).toEqual([]);
    },
  );

  it('handles the trivial sizes as transparency-dev does', () => {
    const [a, b] = [Buffer.from("don't care 1"), Buffer.from("don't care 2")];
    expect(verifyConsistency(0, 0, [], a, b)).toBe(false);
    expect(verifyConsistency(1, 1, [], a, b)).toBe(false);
    expect(verifyConsistency(0, 0, [], a, a)).toBe(true);
    expect(verifyConsistency(0, 1, [], a, b)).toBe(true);
    expect(verifyConsistency(1, 1, [], b, b)).toBe(true);
    expect(verifyConsistency(1, 0, [], a, b)).toBe(false);
    expect(verifyConsistency(2, 1, [], a, b)).toBe(false);
    expect(verifyConsistency(1, 2, [], a, b)).toBe(false);
    expect(verifyConsistency(0, 0, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(0, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(1, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
  });

  it('generates, for every pair of sizes up to 33 leaves, the proof of the RFC definition, and it verifies', () => {
    const many = Array.from({ length: 33 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const tree = treeOf(many);
    for (let to = 1; to <= many.length; to++) {
      const toRoot = mth(many.slice(0, to));
      for (let from = 1; from <= to; from++) {
        const proof = assembleProof(consistencyProofPlan(from, to), tree.read);
        expect(proof).toEqual(from === to ? [] : referenceSubproof(from, many.slice(0, to), true));
        expect(consistencyProblem(from, to, proof, mth(many.slice(0, from)), toRoot)).toBeUndefined();
      }
    }
  });
});
