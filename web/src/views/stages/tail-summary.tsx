import type { StageStatistics } from "../../api-types.js";
import { count, duration, percent } from "../../format.js";

/** The slow attempts' extra time and the stage with the largest part of it. */
export function TailSummary({ data }: { data: StageStatistics }) {
  const top = data.stages.reduce<(typeof data.stages)[number] | undefined>(
    (best, stage) => ((stage.share ?? 0) > (best?.share ?? 0) ? stage : best),
    undefined,
  );
  return (
    <section className="card" aria-labelledby="tail-heading">
      <h2 id="tail-heading">Tail attribution</h2>
      {data.deploymentExtraSeconds === null || top === undefined ? (
        <p className="muted">
          Too few attempts served in this range to compare slow with typical ones.
        </p>
      ) : (
        <p className="lead" data-field="tail-summary">
          The slowest {count(data.slowAttempts, "attempt")} (≥ {duration(data.slowFrom)}, the p95)
          took <strong>{duration(data.deploymentExtraSeconds)}</strong> longer on average to serve
          than the typical {data.typicalAttempts.toLocaleString("en")} (≤{" "}
          {duration(data.typicalUpTo)}, the median). <strong>{top.stage}</strong> accounts for{" "}
          <strong>{percent(top.share, 0)}</strong> of that extra time.
        </p>
      )}
      <p className="sub">
        Over {count(data.attempts, "attempt")} ({data.served.toLocaleString("en")} served)
        {data.complete ? "" : `, the newest ${data.limit.toLocaleString("en")} in the range`}.
      </p>
    </section>
  );
}
