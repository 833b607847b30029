import type { CertificateFacts, RecordFacts } from './bundle-facts';
import { describeProblem } from './bundle-problem';
import type { BundleVerdict } from './shared/verify-steps';

/** The verdict as the `verify` command prints it (pure, so a browser version can print the same). */
export function verdictText(verdict: BundleVerdict): string {
  const lines: string[] = [];
  if (!verdict.verified) {
    lines.push('NOT VERIFIED', `  ${verdict.problem ? describeProblem(verdict.problem) : 'unknown problem'}`);
  } else {
    lines.push('VERIFIED');
  }
  if (verdict.key) {
    const { key } = verdict;
    lines.push(
      `  key: ${key.name}+${key.keyId}, public key fingerprint SHA-256:${key.fingerprint}`,
      key.source === 'pinned'
        ? '       (the key you pinned with --key)'
        : '       WARNING: the key came from the bundle itself; this proves only that the bundle is self-consistent.' +
            '\n       Pin the log’s published key with --key <verifier key> (GET /audit/public-key) to prove it is the log’s.',
    );
  }
  if (verdict.checkpoint) {
    const cp = verdict.checkpoint;
    lines.push(`  checkpoint: ${cp.origin}, tree size ${cp.treeSize}, root ${cp.rootHash}`);
  }
  if (verdict.facts) lines.push('', ...factLines(verdict.facts));
  return `${lines.join('\n')}\n`;
}

function factLines(facts: RecordFacts | CertificateFacts): string[] {
  return facts.kind === 'record-export' ? recordLines(facts) : certificateLines(facts);
}

function recordLines(f: RecordFacts): string[] {
  return [
    `Proven: the history of record ${f.archiveCode}${f.title ? ` (${f.title})` : ''}`,
    `  ${f.events} events, revisions 0 to ${f.lastRevision} of ${f.stream}, each hash recomputed from its stored bytes,`,
    '  chained from genesis, and each included in the signed tree. Events after the checkpoint are not covered.',
    ...(f.classification ? [`  classification: ${f.classification}`] : []),
    ...(f.destroyed ? ['  the record was destroyed (see its destruction certificate)'] : []),
    '',
    '  rev  position  recorded at               type                          actor',
    ...f.history.map(
      (h) =>
        `  ${String(h.revision).padStart(3)}  ${h.position.padStart(8)}  ${h.recordedAt.padEnd(24)}  ${h.type.padEnd(28)}  ${h.actor.id} (${h.actor.unit})`,
    ),
  ];
}

function certificateLines(f: CertificateFacts): string[] {
  const lines = [
    `Proven: record ${f.archiveCode}${f.title ? ` (${f.title})` : ''} was destroyed on ${f.destroyedOn}`,
    `  under destruction list ${f.listId} “${f.listTitle}” (business unit ${f.businessUnit}, drafted by ${f.draftedBy.id}),`,
    `  signed under signing policy version ${f.policyVersion}; approved ${f.approvedAt}.`,
    `  Destruction recorded by ${f.destroyedBy.id} (${f.destroyedBy.unit}) at ${f.destroyedRecordedAt}` +
      (f.electronicContent ? `; electronic content: ${f.electronicContent}` : ''),
    ...(f.listExecutedAt ? [`  List execution recorded complete at ${f.listExecutedAt}`] : []),
    '',
    '  Approved by (D3):',
    ...f.approvals.map(
      (a) =>
        `    ${a.capacity} — ${a.signer.id} (${a.signer.unit}), role ${a.role}, opinion “${a.opinion}”, signed ${a.signedAt}`,
    ),
    '  Witnessed by (D5), checked before the destruction:',
    ...f.witnessChecks.map((w) =>
      w.checkedAt === null
        ? `    ${w.capacity} — ${w.witness.id} (${w.witness.unit}), as the Destroyed event names them (their check was withheld, A2)`
        : `    ${w.capacity} — ${w.witness.id} (${w.witness.unit}), counted ${w.itemCount} item(s), ${w.matched ? 'matched the list' : 'DID NOT match the list'}, ${w.checkedAt}`,
    ),
    '  Witness signatures after the destruction:',
    ...(f.witnessSignatures.length === 0
      ? ['    none yet']
      : f.witnessSignatures.map(
          (w) =>
            `    ${w.capacity} — ${w.witness.id} (${w.witness.unit}), ${w.signedAt}${w.remark ? `, “${w.remark}”` : ''}`,
        )),
    `  List complete (every witness signed): ${f.listCompleted ? 'yes' : 'not yet'}`,
    '',
    `  ${f.recordEvents} events of record-${f.archiveCode} and ${f.listEvents} of destruction-${f.listId}, chained from genesis and in the signed tree.`,
  ];
  if (f.withheldListRevisions.length > 0) {
    lines.push(
      `  Withheld by the service (A2: about records above the requester's clearance): list revisions ${f.withheldListRevisions.join(', ')};`,
      '  their hashes are proven in the chain and the tree, their content is not shown.',
    );
  }
  return lines;
}
