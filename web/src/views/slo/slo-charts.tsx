import type { HistoryPoint, SloStatus } from "../../api-types.js";
import { Chart } from "../../components/chart.js";
import { duration } from "../../format.js";
import { palette } from "../../palette.js";
import { useTheme } from "../../theme.js";
import { measuredLabel } from "./indicator-text.js";

function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** The instant of a chart's last point: the browser test checks it is the page's instant. */
export function historyUntil(history: HistoryPoint[]): string | undefined {
  return history[history.length - 1]?.at;
}

export function BurnDownCard({ slo, history }: { slo: SloStatus; history: HistoryPoint[] }) {
  const theme = useTheme();
  const colors = palette(theme);
  return (
    <section className="card" aria-labelledby="burn-heading" data-until={historyUntil(history)}>
      <h2 id="burn-heading">Error budget burn-down</h2>
      <p className="sub">Remaining budget over the {slo.window.length} window, as of each point.</p>
      <Chart
        ariaLabel="Remaining error budget over the window"
        x={history.map((p) => seconds(p.at))}
        series={[
          {
            label: "budget left",
            values: history.map((p) => p.remainingRatio * 100),
            color: colors.accent,
            fill: theme === "dark" ? "rgba(96,165,250,0.12)" : "rgba(37,99,235,0.08)",
          },
          {
            label: "exhausted",
            values: history.map(() => 0),
            color: colors.bad,
            dash: [4, 4],
            width: 1,
          },
        ]}
        yFormat={(v) => `${v.toFixed(0)}%`}
      />
    </section>
  );
}

export function ComplianceChart({ slo, history }: { slo: SloStatus; history: HistoryPoint[] }) {
  const colors = palette(useTheme());
  return (
    <Chart
      ariaLabel="Compliance history with the target"
      x={history.map((p) => seconds(p.at))}
      series={[
        {
          label: "compliance",
          values: history.map((p) => (p.compliance === null ? null : p.compliance * 100)),
          color: colors.good,
        },
        {
          label: "target",
          values: history.map(() => slo.target * 100),
          color: colors.muted,
          dash: [6, 4],
          width: 1.5,
        },
      ]}
      yFormat={(v) => `${v.toFixed(1)}%`}
    />
  );
}

export function PercentilesChart({ slo, history }: { slo: SloStatus; history: HistoryPoint[] }) {
  const colors = palette(useTheme());
  return (
    <Chart
      ariaLabel={`${measuredLabel(slo.indicator)} percentiles with the threshold`}
      x={history.map((p) => seconds(p.at))}
      series={[
        { label: "p50", values: history.map((p) => p.p50), color: colors.p50 },
        { label: "p95", values: history.map((p) => p.p95), color: colors.p95 },
        { label: "p99", values: history.map((p) => p.p99), color: colors.p99 },
        {
          label: "threshold",
          values: history.map(() => slo.thresholdSeconds),
          color: colors.threshold,
          dash: [6, 4],
          width: 1.5,
        },
      ]}
      yFormat={(v) => duration(v)}
      durationAxis="y"
    />
  );
}
