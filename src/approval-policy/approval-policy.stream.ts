/**
 * Stream names of the approval policies (`policy-{name}`, docs/architecture.md). One helper names
 * each stream, so nobody spells it twice.
 */
export function loanApprovalPolicyStream(): string {
  return 'policy-loan-approval';
}
