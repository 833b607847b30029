export function DispositionPage() {
  return <p>DispositionPage</p>;
}
