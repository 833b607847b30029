export function LoansDeskPage() {
  return <p>LoansDeskPage</p>;
}
