import type { ThresholdRecommendationJson as Recommendation } from "../../../../src/contract/threshold-recommendation-schema.js";
import { useApi } from "../../api.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { count, duration, percent } from "../../format.js";

function SplitTable({ split }: { split: Recommendation["splits"][number] }) {
  return (
    <div className="table-wrap">
      <table data-split={split.key}>
        <thead>
          <tr>
            <th scope="col">{split.key}</th>
            <th scope="col" className="right">
              Attempts
            </th>
            <th scope="col" className="right">
              p50
            </th>
            <th scope="col" className="right">
              p95
            </th>
            <th scope="col" className="right">
              p99
            </th>
            <th scope="col" className="right">
              Threshold for the target
            </th>
          </tr>
        </thead>
        <tbody>
          {split.groups.map((g) => (
            <tr key={g.value} data-group={g.value}>
              <td>{g.value}</td>
              <td className="right num">{g.attempts.toLocaleString("en")}</td>
              <td className="right num">{duration(g.durations.p50)}</td>
              <td className="right num">{duration(g.durations.p95)}</td>
              <td className="right num">{duration(g.durations.p99)}</td>
              <td className="right num" data-field="group-threshold">
                {duration(g.thresholdSeconds)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Body({ r }: { r: Recommendation }) {
  const start = r.splits.find((s) => s.key === "start");
  return (
    <>
      {r.thresholdSeconds === null || r.fit === null ? (
        <p className="lead" data-field="recommendation">
          No threshold meets {percent(r.target, 1)} over this history: too many attempts failed.
        </p>
      ) : (
        <p className="lead" data-field="recommendation">
          For {percent(r.target, 1)}, a threshold of{" "}
          <strong data-field="threshold">{duration(r.thresholdSeconds)}</strong> would have given{" "}
          <strong data-field="historical-compliance">{percent(r.historicalCompliance)}</strong> (
          {r.fit.good.toLocaleString("en")} good of {count(r.fit.eligible, "attempt")}), leaving{" "}
          {percent(r.errorBudget?.remainingRatio ?? null, 0)} of the error budget.
        </p>
      )}
      <p className="sub" data-field="percentiles">
        Served: p50 {duration(r.durations.p50)} · p95 {duration(r.durations.p95)} · p99{" "}
        {duration(r.durations.p99)} · max {duration(r.durations.max)}. Dependencies' own p99s add up
        to {duration(r.dependencyP99SumSeconds)}.
        {r.reverse === null ? null : (
          <span data-field="reverse">
            {" "}
            The current threshold, {duration(r.reverse.thresholdSeconds)}, supports a target of at
            most {percent(r.reverse.highestTarget)}.
          </span>
        )}
      </p>
      {start === undefined || start.groups.length === 0 ? null : <SplitTable split={start} />}
      {r.snippet === null ? null : (
        <details>
          <summary>SLO spec with this threshold</summary>
          <pre data-field="snippet">{r.snippet}</pre>
        </details>
      )}
    </>
  );
}

/** The threshold the history supports for the SLO's target (or 99%), from the API. */
export function RecommendationCard({ query }: { query: URLSearchParams }) {
  const loaded = useApi<Recommendation>(`/api/v1/insight/recommendation?${query}`);
  return (
    <section className="card" aria-labelledby="recommendation-heading">
      <h2 id="recommendation-heading">Threshold recommendation</h2>
      {loaded.state === "error" ? (
        <ErrorNotice error={loaded.error} what="the recommendation" retry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading what="the recommendation" />
      ) : (
        <Body r={loaded.data} />
      )}
    </section>
  );
}
