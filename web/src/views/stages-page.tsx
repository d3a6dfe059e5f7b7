import { useApi } from "../api.js";
import type { Overview, StageStatistics } from "../api-types.js";
import { Empty, ErrorNotice, FirstAttemptHelp, Loading } from "../components/status.js";
import { RangePicker, ScopeFilters } from "../components/toolbar.js";
import { count, duration, percent } from "../format.js";
import { useNavigation, useRangeNow } from "../navigation.js";
import { timeRange } from "../route.js";

export function StagesPage() {
  const { state, navigate } = useNavigation();
  const now = useRangeNow();
  const overview = useApi<Overview>("/api/v1/overview");
  const selected = overview.data?.slos.find((slo) => slo.name === state.slo);
  const windowStart = selected === undefined ? null : Date.parse(selected.window.start);
  const range = timeRange(state, now, windowStart);
  const query = new URLSearchParams({ from: new Date(range.from).toISOString() });
  if (range.to !== null) query.set("to", new Date(range.to).toISOString());
  if (state.slo !== null) query.set("slo", state.slo);
  if (state.model !== null) query.set("model", state.model);
  if (state.environment !== null) query.set("environment", state.environment);
  const waiting = state.range === "window" && state.slo !== null && overview.data === undefined;
  const stats = useApi<StageStatistics>(waiting ? null : `/api/v1/stages?${query}`);
  const data = stats.data;
  const top = data?.stages.reduce<(typeof data.stages)[number] | undefined>(
    (best, stage) => ((stage.share ?? 0) > (best?.share ?? 0) ? stage : best),
    undefined,
  );
  const maxP99 = Math.max(1, ...(data?.stages ?? []).map((s) => s.p99 ?? 0));

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Stages</h1>
          <p className="muted">
            Where deployments spend their time, and which stage the slowest attempts lose it in.
          </p>
        </div>
        <RangePicker />
      </div>
      <div className="toolbar">
        <ScopeFilters
          models={overview.data?.models ?? []}
          environments={overview.data?.environments ?? []}
        />
        <label className="filter">
          <span>SLO</span>
          <select
            name="slo"
            value={state.slo ?? ""}
            onChange={(e) =>
              navigate({ slo: e.target.value === "" ? null : e.target.value }, { replace: true })
            }
          >
            <option value="">Any (no SLO scope)</option>
            {(overview.data?.slos ?? []).map((slo) => (
              <option key={slo.name} value={slo.name}>
                {slo.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {stats.state === "error" ? (
        <ErrorNotice error={stats.error} what="stage statistics" retry={stats.reload} />
      ) : null}
      {data === undefined ? (
        stats.state === "error" ? null : (
          <Loading what="stage statistics" />
        )
      ) : data.attempts === 0 ? (
        <Empty title="No attempts in this range and scope">
          {overview.data?.models.length === 0 ? (
            <FirstAttemptHelp />
          ) : (
            <p>Widen the time range or clear the filters.</p>
          )}
        </Empty>
      ) : (
        <>
          <section className="card" aria-labelledby="tail-heading">
            <h2 id="tail-heading">Tail attribution</h2>
            {data.deploymentExtraSeconds === null || top === undefined ? (
              <p className="muted">
                Too few attempts served in this range to compare slow with typical ones.
              </p>
            ) : (
              <p className="lead" data-field="tail-summary">
                The slowest {count(data.slowAttempts, "attempt")} (≥ {duration(data.slowFrom)}, the
                p95) took <strong>{duration(data.deploymentExtraSeconds)}</strong> longer on average
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
          <section className="card" aria-labelledby="stages-heading">
            <h2 id="stages-heading">Per stage</h2>
            <div className="table-wrap">
              <table className="stage-table">
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col" className="right">
                      Runs
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
                    <th scope="col">Spread (p50 → p99)</th>
                    <th scope="col" className="right">
                      Extra in slow attempts
                    </th>
                    <th scope="col">Share of the tail</th>
                  </tr>
                </thead>
                <tbody>
                  {data.stages.map((stage) => (
                    <tr key={stage.stage} data-stage={stage.stage}>
                      <td>
                        <strong>{stage.stage}</strong>{" "}
                        <span className={`kind-tag kind-${stage.kind}`}>{stage.kind}</span>
                      </td>
                      <td className="right num">{stage.runs.toLocaleString("en")}</td>
                      <td className="right num" data-field="p50">
                        {duration(stage.p50)}
                      </td>
                      <td className="right num" data-field="p95">
                        {duration(stage.p95)}
                      </td>
                      <td className="right num" data-field="p99">
                        {duration(stage.p99)}
                      </td>
                      <td>
                        <div className="spread" aria-hidden="true">
                          <span
                            className="spread-range"
                            style={{
                              left: `${((stage.p50 ?? 0) / maxP99) * 100}%`,
                              width: `${(((stage.p99 ?? 0) - (stage.p50 ?? 0)) / maxP99) * 100}%`,
                            }}
                          />
                          <span
                            className="spread-dot"
                            style={{ left: `${((stage.p50 ?? 0) / maxP99) * 100}%` }}
                          />
                          <span
                            className="spread-dot p95"
                            style={{ left: `${((stage.p95 ?? 0) / maxP99) * 100}%` }}
                          />
                        </div>
                      </td>
                      <td className="right num">{duration(stage.extraSeconds)}</td>
                      <td>
                        <div className="share">
                          <div className="budget-track">
                            <div
                              className="budget-fill tone-risk"
                              style={{ width: `${(stage.share ?? 0) * 100}%` }}
                            />
                          </div>
                          <span className="num" data-field="share">
                            {percent(stage.share, 0)}
                          </span>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="sub">
              Extra: mean time per slow attempt in the stage minus mean time per typical attempt.
              Share: the stage's part of all positive extras. See docs/dashboard.md.
            </p>
          </section>
        </>
      )}
    </>
  );
}
