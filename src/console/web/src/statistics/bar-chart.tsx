import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

// Only the pieces a bar chart needs (tree-shaken); Chart.js styles the canvas through the DOM, which the CSP allows.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

/**
 * A bar chart drawn into a canvas. The figures are also in a table beside it (for screen readers
 * and printing), so the canvas is only a picture with a label saying so.
 */
export function BarChart({
  labels,
  series,
  label,
  testId,
}: {
  readonly labels: readonly string[];
  readonly series: readonly BarSeries[];
  readonly label: string;
  readonly testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return undefined;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: [...labels],
        datasets: series.map((s) => ({
          label: s.label,
          data: [...s.values],
          backgroundColor: s.color,
          borderColor: s.color,
          maxBarThickness: 56,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: 2,
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [labels, series]);
  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
