import { useEffect } from "react";
import { useApi } from "../api.js";
import type {
  AlertJson,
  AlertsJson,
  InProgressAttempt,
  Overview,
  OverviewSlo,
} from "../api-types.js";
import { BudgetBar } from "../components/budget-bar.js";
import { StaleAttempts } from "../components/stale-attempts.js";
import { StatePill } from "../components/state-pill.js";
import { Empty, ErrorNotice, FirstAttemptHelp, Loading } from "../components/status.js";
import { RangePicker, ScopeFilters } from "../components/toolbar.js";
import { count, duration, forecastText, percent, rate, when } from "../format.js";
import { Link, useNavigation } from "../navigation.js";
import { overviewApiPath } from "../route.js";

const POLL_MS = 5_000;

function BurnRate({ value }: { value: number }) {
  const tone = value > 2 ? "bad" : value > 1 ? "risk" : "muted";
  return <span className={`num tone-text-${tone}`}>{rate(value)}</span>;
}

function selectorText(slo: OverviewSlo): string {
  const parts = [
    slo.selector.environment === null ? null : `env ${slo.selector.environment}`,
    slo.selector.model === null ? null : `model ${slo.selector.model}`,
    ...Object.entries(slo.selector.labels).map(([k, v]) => `${k}=${v}`),
    slo.indicator.type === "stage" ? `stage ${slo.indicator.stage}` : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? "every attempt" : parts.join(" · ");
}

function SloTable({ slos, at }: { slos: OverviewSlo[]; at: string }) {
  return (
    <div className="table-wrap">
      <table className="slo-table">
        <thead>
          <tr>
            <th scope="col">SLO</th>
            <th scope="col">State</th>
            <th scope="col" className="right">
              Compliance / target
            </th>
            <th scope="col">Error budget left</th>
            <th
              scope="col"
              className="right"
              title="Burn rate over the last 1 h / 6 h / 1 d / 3 d; 1× spends the budget exactly over the window"
            >
              Burn 1h · 6h · 1d · 3d
            </th>
            <th scope="col" className="right">
              p95 / threshold
            </th>
            <th scope="col" className="right">
              Counted
            </th>
          </tr>
        </thead>
        <tbody>
          {slos.map((slo) => (
            <tr key={slo.name} data-slo={slo.name}>
              <td>
                <Link to={{ page: { kind: "slo", name: slo.name } }} className="slo-name">
                  {slo.name}
                </Link>
                <div className="sub">
                  {selectorText(slo)} · {slo.window.length} window
                </div>
              </td>
              <td>
                <StatePill state={slo.state} />
              </td>
              <td className="right">
                <span
                  className={`num strong tone-text-${slo.met ? "good" : "bad"}`}
                  data-field="compliance"
                >
                  {percent(slo.compliance)}
                </span>
                <span className="muted">
                  {" "}
                  / {percent(slo.target, slo.target * 100 === Math.round(slo.target * 100) ? 0 : 2)}
                </span>
              </td>
              <td>
                <BudgetBar ratio={slo.errorBudget.remainingRatio} state={slo.state} />
                <div className="sub" data-field="forecast">
                  {forecastText(slo.forecast.exhaustsAt, at)}
                </div>
              </td>
              <td className="right burn">
                <BurnRate value={slo.burnRates["1h"]} /> · <BurnRate value={slo.burnRates["6h"]} />{" "}
                · <BurnRate value={slo.burnRates["1d"]} /> ·{" "}
                <BurnRate value={slo.burnRates["3d"]} />
              </td>
              <td className="right">
                <span className="num" data-field="p95">
                  {duration(slo.percentiles.p95)}
                </span>
                <span className="muted"> / {duration(slo.thresholdSeconds)}</span>
              </td>
              <td className="right num" data-field="eligible">
                {slo.eligible.toLocaleString("en")}
                {slo.inProgress > 0 ? <div className="sub">{slo.inProgress} running</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function InProgressTable({
  attempts,
  truncated,
}: {
  attempts: InProgressAttempt[];
  truncated: boolean;
}) {
  if (attempts.length === 0) {
    return <p className="muted">No attempt is in progress right now.</p>;
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Model · version</th>
            <th scope="col">Environment</th>
            <th scope="col">Running stage</th>
            <th scope="col">Elapsed / threshold</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => {
            const ratio =
              attempt.thresholdSeconds === null
                ? null
                : attempt.elapsedSeconds / attempt.thresholdSeconds;
            const tone =
              ratio === null ? "good" : ratio > 1 ? "bad" : ratio > 0.75 ? "risk" : "good";
            return (
              <tr key={attempt.id} data-attempt={attempt.id}>
                <td>
                  <Link to={{ page: { kind: "attempt", id: attempt.id } }} className="mono">
                    {attempt.id}
                  </Link>
                </td>
                <td>
                  {attempt.model} <span className="muted">v{attempt.version}</span>
                </td>
                <td>{attempt.environment}</td>
                <td>{attempt.currentStage ?? <span className="muted">—</span>}</td>
                <td>
                  <div className="elapsed">
                    <div className="budget-track">
                      <div
                        className={`budget-fill tone-${tone}`}
                        style={{ width: `${Math.min(1, ratio ?? 0) * 100}%` }}
                      />
                    </div>
                    <span className={`num tone-text-${tone}`}>
                      {duration(attempt.elapsedSeconds)}
                      <span className="muted"> / {duration(attempt.thresholdSeconds)}</span>
                    </span>
                  </div>
                </td>
                <td className="muted">{when(attempt.startedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {truncated ? (
        <p className="muted">Showing the newest {count(attempts.length, "attempt")} in progress.</p>
      ) : null}
    </div>
  );
}

/** Where each firing alert's notification stands, per target: "ops delivered · pager pending". */
function deliveryText(alert: AlertJson): string {
  const deliveries = alert.notification?.deliveries ?? [];
  if (deliveries.length === 0) return "no notification target";
  return deliveries.map((d) => `${d.target} ${d.status}`).join(" · ");
}

function FiringAlerts({ alerts }: { alerts: AlertJson[] }) {
  if (alerts.length === 0) {
    return <p className="muted">No alert is firing.</p>;
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">SLO</th>
            <th scope="col">Alert</th>
            <th scope="col">Firing since</th>
            <th scope="col">Notification</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr key={`${alert.slo}/${alert.alert}`} data-alert={`${alert.slo}/${alert.alert}`}>
              <td>
                <span
                  className={`pill ${alert.severity === "page" ? "pill-exhausted" : "pill-burning"}`}
                >
                  {alert.severity}
                </span>
              </td>
              <td>
                <Link to={{ page: { kind: "slo", name: alert.slo } }} className="slo-name">
                  {alert.slo}
                </Link>
                {alert.atRisk.length > 0 ? (
                  <div className="sub">puts at risk: {alert.atRisk.join(", ")}</div>
                ) : null}
              </td>
              <td>{alert.alert}</td>
              <td>{when(alert.startsAt ?? alert.since)}</td>
              <td className="muted">{deliveryText(alert)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OverviewPage() {
  const { state } = useNavigation();
  const overview = useApi<Overview>(
    overviewApiPath(state),
    state.range === "custom" ? undefined : POLL_MS,
  );
  const data = overview.data;
  // Alerts are the evaluator's present state: shown for live ranges only.
  const alerts = useApi<AlertsJson>(
    state.range === "custom" ? null : "/api/v1/alerts?state=firing&transitions=0",
    POLL_MS,
  );
  useEffect(() => {
    // For the benchmark and for anyone profiling: when the first numbers reached the screen.
    if (
      data !== undefined &&
      performance.getEntriesByName("deployslo:overview-rendered").length === 0
    )
      performance.mark("deployslo:overview-rendered");
  }, [data]);
  const counts = { ok: 0, burning: 0, exhausted: 0 };
  for (const slo of data?.slos ?? []) counts[slo.state]++;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Deployment SLOs</h1>
          <p className="muted">
            Time from promote request to first successful inference, against each objective.
            {data === undefined ? null : <> Status as of {when(data.at)}.</>}
            {state.range !== "custom" ? (
              <span className="live" title="refreshes every 5 seconds">
                {" "}
                Live
              </span>
            ) : null}
          </p>
        </div>
        <RangePicker />
      </div>
      <div className="toolbar">
        <ScopeFilters models={data?.models ?? []} environments={data?.environments ?? []} />
        {data === undefined ? null : (
          <p className="summary" title="SLO states">
            <span className="pill pill-ok">{counts.ok} OK</span>
            <span className="pill pill-burning">{counts.burning} burning</span>
            <span className="pill pill-exhausted">{counts.exhausted} exhausted</span>
          </p>
        )}
      </div>
      {overview.state === "error" ? (
        <ErrorNotice error={overview.error} what="the overview" retry={overview.reload} />
      ) : null}
      {data === undefined ? (
        overview.state === "loading" ? (
          <Loading what="SLO status" />
        ) : null
      ) : data.models.length === 0 ? (
        <Empty title="No attempts stored yet">
          <FirstAttemptHelp />
        </Empty>
      ) : (
        <>
          {state.range === "custom" ? null : <StaleAttempts attempts={data.inProgress} />}
          {alerts.data === undefined ? null : (
            <section aria-labelledby="alerts-heading" className="card">
              <h2 id="alerts-heading">
                Firing alerts <span className="count">{alerts.data.alerts.length}</span>
              </h2>
              <FiringAlerts alerts={alerts.data.alerts} />
            </section>
          )}
          <section aria-labelledby="slos-heading" className="card">
            <h2 id="slos-heading">SLOs</h2>
            {data.slos.length === 0 ? (
              <Empty title="No SLO selects this model and environment">
                <p>
                  Clear the filters, or add an SLO whose selector matches them to your
                  configuration.
                </p>
              </Empty>
            ) : (
              <SloTable slos={data.slos} at={data.at} />
            )}
          </section>
          <section aria-labelledby="running-heading" className="card">
            <h2 id="running-heading">
              In progress now <span className="count">{data.inProgress.length}</span>
            </h2>
            {state.range === "custom" ? (
              <p className="muted">
                Attempts in progress are shown for the present only; choose a range other than
                Custom to see them.
              </p>
            ) : (
              <InProgressTable attempts={data.inProgress} truncated={data.inProgressTruncated} />
            )}
          </section>
        </>
      )}
    </>
  );
}
