import { useApi } from "../api.js";
import type {
  AttemptSummary,
  Histogram,
  Overview,
  SloDetail,
  SloState,
  SloStatus,
} from "../api-types.js";
import { BudgetBar } from "../components/budget-bar.js";
import { Chart } from "../components/chart.js";
import { OutcomePill, StatePill } from "../components/state-pill.js";
import { Empty, ErrorNotice, FirstAttemptHelp, Loading } from "../components/status.js";
import { RangePicker } from "../components/toolbar.js";
import { budgetAmount, count, duration, percent, rate, when } from "../format.js";
import { Link, useNavigation, useRangeNow } from "../navigation.js";
import { palette } from "../palette.js";
import { timeRange } from "../route.js";
import { useTheme } from "../theme.js";

const POINTS = 120;

function Kpi({
  label,
  value,
  sub,
  field,
}: {
  label: string;
  value: string;
  sub?: string;
  field?: string;
}) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value num" data-field={field}>
        {value}
      </div>
      {sub === undefined ? null : <div className="sub">{sub}</div>}
    </div>
  );
}

function Summary({ slo, state }: { slo: SloStatus; state: SloState | undefined }) {
  return (
    <div className="kpis">
      <Kpi
        label="Compliance"
        field="compliance"
        value={percent(slo.compliance)}
        sub={`target ${percent(slo.target, 1)} · ${slo.met ? "met" : "violated"}`}
      />
      <div className="kpi">
        <div className="kpi-label">Error budget left</div>
        <BudgetBar ratio={slo.errorBudget.remainingRatio} state={state ?? "ok"} />
        <div className="sub">
          {budgetAmount(slo.errorBudget.remaining, slo.errorBudget.unit)} of{" "}
          {budgetAmount(slo.errorBudget.total, slo.errorBudget.unit)}
        </div>
      </div>
      <Kpi
        label="Burn rate 1h · 6h · 1d"
        value={`${rate(slo.burnRates["1h"])} · ${rate(slo.burnRates["6h"])} · ${rate(slo.burnRates["1d"])}`}
        sub={`window ${rate(slo.burnRates.window)}`}
      />
      <Kpi
        label="p50 · p95 · p99"
        field="percentiles"
        value={`${duration(slo.percentiles.p50)} · ${duration(slo.percentiles.p95)} · ${duration(slo.percentiles.p99)}`}
        sub={`threshold ${duration(slo.thresholdSeconds)}`}
      />
      <Kpi
        label="Counted"
        field="eligible"
        value={slo.eligible.toLocaleString("en")}
        sub={`${slo.good.toLocaleString("en")} good · ${slo.bad.toLocaleString("en")} bad · ${slo.inProgress} running`}
      />
    </div>
  );
}

function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

export function SloPage({ name }: { name: string }) {
  const { state } = useNavigation();
  const theme = useTheme();
  const colors = palette(theme);
  const base = `/api/v1/slos/${encodeURIComponent(name)}`;
  const detail = useApi<SloDetail>(`${base}?points=${POINTS}`);
  const windowStart = detail.data === undefined ? null : Date.parse(detail.data.slo.window.start);
  const now = useRangeNow();
  const range = timeRange(state, now, windowStart);
  const ready = state.range !== "window" || detail.data !== undefined;
  const rangeQuery = new URLSearchParams({ from: new Date(range.from).toISOString() });
  if (range.to !== null) rangeQuery.set("at", new Date(range.to).toISOString());
  const history = useApi<SloDetail>(ready ? `${base}?${rangeQuery}&points=${POINTS}` : null);
  // The state (ok / burning / exhausted) is the API's, from the overview endpoint.
  const overview = useApi<Overview>(
    `/api/v1/overview${range.to === null ? "" : `?at=${new Date(range.to).toISOString()}`}`,
  );
  const sloState = overview.data?.slos.find((s) => s.name === name)?.state;
  const histogram = useApi<Histogram>(
    `${base}/histogram${range.to === null ? "" : `?at=${new Date(range.to).toISOString()}`}`,
  );
  const attemptsQuery = new URLSearchParams({
    from: new Date(range.from).toISOString(),
    limit: "25",
  });
  if (range.to !== null) attemptsQuery.set("to", new Date(range.to).toISOString());
  const attempts = useApi<{ attempts: AttemptSummary[] }>(
    ready ? `${base}/attempts?${attemptsQuery}` : null,
  );

  if (detail.state === "error" && detail.data === undefined) {
    return <ErrorNotice error={detail.error} what={`the SLO "${name}"`} retry={detail.reload} />;
  }
  if (detail.data === undefined) return <Loading what={`the SLO "${name}"`} />;
  const slo = detail.data.slo;
  const burn = detail.data.history;
  const target = slo.target;

  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={{ page: { kind: "overview" } }}>Overview</Link> / <span>{slo.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>
            {slo.name} {sloState === undefined ? null : <StatePill state={sloState} />}
          </h1>
          <p className="muted">
            {slo.description ?? "No description."} {slo.window.kind} {slo.window.length} window ·{" "}
            {slo.budgeting} budgeting · threshold {duration(slo.thresholdSeconds)}
            {slo.indicator.type === "stage" ? ` · stage ${slo.indicator.stage}` : ""}
          </p>
        </div>
        <RangePicker />
      </div>
      <Summary slo={slo} state={sloState} />
      {slo.eligible === 0 && slo.inProgress === 0 ? (
        <Empty title="Nothing counted in this window yet">
          <FirstAttemptHelp />
        </Empty>
      ) : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="burn-heading">
          <h2 id="burn-heading">Error budget burn-down</h2>
          <p className="sub">
            Remaining budget over the {slo.window.length} window, as of each point.
          </p>
          <Chart
            ariaLabel="Remaining error budget over the window"
            x={burn.map((p) => seconds(p.at))}
            series={[
              {
                label: "budget left",
                values: burn.map((p) => p.remainingRatio * 100),
                color: colors.accent,
                fill: theme === "dark" ? "rgba(96,165,250,0.12)" : "rgba(37,99,235,0.08)",
              },
              {
                label: "exhausted",
                values: burn.map(() => 0),
                color: colors.bad,
                dash: [4, 4],
                width: 1,
              },
            ]}
            yFormat={(v) => `${v.toFixed(0)}%`}
          />
        </section>
        <section className="card" aria-labelledby="compliance-heading">
          <h2 id="compliance-heading">Compliance</h2>
          <p className="sub">
            Compliance over the window, as of each point in the selected range; target dashed.
          </p>
          {history.data === undefined ? (
            history.state === "error" ? (
              <ErrorNotice error={history.error} what="the history" retry={history.reload} />
            ) : (
              <Loading what="history" />
            )
          ) : (
            <Chart
              ariaLabel="Compliance history with the target"
              x={history.data.history.map((p) => seconds(p.at))}
              series={[
                {
                  label: "compliance",
                  values: history.data.history.map((p) =>
                    p.compliance === null ? null : p.compliance * 100,
                  ),
                  color: colors.good,
                },
                {
                  label: "target",
                  values: history.data.history.map(() => target * 100),
                  color: colors.muted,
                  dash: [6, 4],
                  width: 1.5,
                },
              ]}
              yFormat={(v) => `${v.toFixed(1)}%`}
            />
          )}
        </section>
        <section className="card" aria-labelledby="latency-heading">
          <h2 id="latency-heading">Deployment duration p50 · p95 · p99</h2>
          <p className="sub">
            Percentiles of the attempts counted in the window, as of each point; threshold dashed.
          </p>
          {history.data === undefined ? (
            <Loading what="percentiles" />
          ) : (
            <Chart
              ariaLabel="Duration percentiles with the threshold"
              x={history.data.history.map((p) => seconds(p.at))}
              series={[
                { label: "p50", values: history.data.history.map((p) => p.p50), color: colors.p50 },
                { label: "p95", values: history.data.history.map((p) => p.p95), color: colors.p95 },
                { label: "p99", values: history.data.history.map((p) => p.p99), color: colors.p99 },
                {
                  label: "threshold",
                  values: history.data.history.map(() => slo.thresholdSeconds),
                  color: colors.threshold,
                  dash: [6, 4],
                  width: 1.5,
                },
              ]}
              yFormat={(v) => duration(v)}
              durationAxis="y"
            />
          )}
        </section>
        <section className="card" aria-labelledby="histogram-heading">
          <h2 id="histogram-heading">Duration histogram</h2>
          {histogram.data === undefined ? (
            histogram.state === "error" ? (
              <ErrorNotice error={histogram.error} what="the histogram" retry={histogram.reload} />
            ) : (
              <Loading what="histogram" />
            )
          ) : (
            <>
              <p className="sub">
                {count(histogram.data.total, "attempt")} that served, in the window;{" "}
                {histogram.data.overflow > 0 ? `${histogram.data.overflow} beyond the chart, ` : ""}
                {histogram.data.withoutDuration} counted without a duration (failed).
              </p>
              <Chart
                ariaLabel="Histogram of deployment durations with the threshold"
                time={false}
                bars
                x={histogram.data.edges.slice(0, -1)}
                series={[
                  {
                    label: "attempts",
                    values: histogram.data.counts,
                    color: colors.accent,
                    fill: colors.accent,
                  },
                ]}
                xFormat={(v) => duration(v)}
                durationAxis="x"
                xMarker={{
                  at: histogram.data.thresholdSeconds,
                  label: "threshold",
                  color: colors.threshold,
                }}
              />
            </>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent attempts</h2>
        {attempts.data === undefined ? (
          attempts.state === "error" ? (
            <ErrorNotice error={attempts.error} what="the attempts" retry={attempts.reload} />
          ) : (
            <Loading what="attempts" />
          )
        ) : attempts.data.attempts.length === 0 ? (
          <p className="muted">No attempt selected by this SLO started in the selected range.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">Model · version</th>
                  <th scope="col">Environment</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="right">
                    Duration
                  </th>
                  <th scope="col">Slowest stage</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {attempts.data.attempts.map((a) => (
                  <tr key={a.id} data-attempt={a.id}>
                    <td>
                      <Link to={{ page: { kind: "attempt", id: a.id } }} className="mono">
                        {a.id}
                      </Link>
                    </td>
                    <td>
                      {a.model} <span className="muted">v{a.version}</span>
                    </td>
                    <td>{a.environment}</td>
                    <td>
                      <OutcomePill outcome={a.outcome} />
                    </td>
                    <td className={`right num ${a.overThreshold ? "tone-text-bad" : ""}`}>
                      {duration(a.durationSeconds)}
                    </td>
                    <td>
                      {a.slowestStage === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <>
                          {a.slowestStage.name}{" "}
                          <span className="muted">{duration(a.slowestStage.seconds)}</span>
                        </>
                      )}
                    </td>
                    <td className="muted">{when(a.startedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
