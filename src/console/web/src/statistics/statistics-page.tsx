export function StatisticsPage() {
  return <p>StatisticsPage</p>;
}
