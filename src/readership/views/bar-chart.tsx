export interface DailyCount {
  /** "2026-11-27", in the site's time zone. */
  day: string;
  total: number;
}

/** Counts per day for every one of `days`, 0 where the query had none. */
export function everyDay(days: { day: string }[], counts: { day: string; views: number }[]): DailyCount[] {
  const byDay = new Map(counts.map((count) => [count.day, count.views]));
  return days.map(({ day }) => ({ day, total: byDay.get(day) ?? 0 }));
}

const WIDTH = 600;
const HEIGHT = 160;
const AXIS = 20;

/** A server-rendered bar chart of counts per day: inline SVG with a title and a text summary, no script. */
export function BarChart({ id, title, days }: { id: string; title: string; days: DailyCount[] }) {
  const max = Math.max(1, ...days.map((day) => day.total));
  const total = days.reduce((sum, day) => sum + day.total, 0);
  const slot = WIDTH / Math.max(1, days.length);
  const summary = `${title}: ${total} in ${days.length} days, at most ${max} in one day.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="chart-axis" />
        {days.map((day, index) => {
          const height = Math.round((day.total / max) * (HEIGHT - 10));
          return (
            <rect
              x={(index * slot + 1).toFixed(1)}
              y={HEIGHT - height}
              width={(slot - 2).toFixed(1)}
              height={height}
              class="chart-bar"
            >
              <title>{`${day.day}: ${day.total}`}</title>
            </rect>
          );
        })}
        {days.length > 0 && (
          <>
            <text x="0" y={HEIGHT + 15} class="chart-label">
              {days[0]!.day}
            </text>
            <text x={WIDTH} y={HEIGHT + 15} text-anchor="end" class="chart-label">
              {days[days.length - 1]!.day}
            </text>
          </>
        )}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
