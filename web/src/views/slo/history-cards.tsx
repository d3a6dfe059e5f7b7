import type { Loadable } from "../../api.js";
import type { SloDetail, SloStatus } from "../../api-types.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { measuredLabel } from "./indicator-text.js";
import { ComplianceChart, historyUntil, PercentilesChart } from "./slo-charts.js";

type History = Loadable<SloDetail> & { reload(): void };

function Pending({ history, what }: { history: History; what: string }) {
  return history.state === "error" ? (
    <ErrorNotice error={history.error} what={`the ${what}`} retry={history.reload} />
  ) : (
    <Loading what={what} />
  );
}

/** Compliance and percentiles over the selected range, each point as of its instant. */
export function HistoryCards({ slo, history }: { slo: SloStatus; history: History }) {
  const points = history.data?.history;
  const until = points === undefined ? undefined : historyUntil(points);
  return (
    <>
      <section className="card" aria-labelledby="compliance-heading" data-until={until}>
        <h2 id="compliance-heading">Compliance</h2>
        <p className="sub">
          Compliance over the window, as of each point in the selected range; target dashed.
        </p>
        {points === undefined ? (
          <Pending history={history} what="history" />
        ) : (
          <ComplianceChart slo={slo} history={points} />
        )}
      </section>
      <section className="card" aria-labelledby="latency-heading" data-until={until}>
        <h2 id="latency-heading">{measuredLabel(slo.indicator)} p50 · p95 · p99</h2>
        <p className="sub">
          Percentiles of what was counted in the window, as of each point; threshold dashed.
        </p>
        {points === undefined ? (
          <Pending history={history} what="percentiles" />
        ) : (
          <PercentilesChart slo={slo} history={points} />
        )}
      </section>
    </>
  );
}
