export function VerifierPage() {
  return <p>VerifierPage</p>;
}
