import type { Overview } from "../../../src/contract/overview-schema.js";
import type { StageStatisticsJson as StageStatistics } from "../../../src/contract/stage-statistics-schema.js";
import { useApi } from "../api.js";
import { Empty, ErrorNotice, FirstAttemptHelp, Loading } from "../components/status.js";
import { RangePicker, ScopeFilters } from "../components/toolbar.js";
import { useNavigation, useRangeNow } from "../navigation.js";
import { timeRange } from "../route.js";
import { BudgetsCard } from "./stages/budgets-card.js";
import { DriftCard } from "./stages/drift-card.js";
import { HandoffsCard } from "./stages/handoffs-card.js";
import { RecommendationCard } from "./stages/recommendation-card.js";
import { StageTable } from "./stages/stage-table.js";
import { TailSummary } from "./stages/tail-summary.js";

function SloFilter({ overview }: { overview: Overview | undefined }) {
  const { state, navigate } = useNavigation();
  return (
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
        {(overview?.slos ?? []).map((slo) => (
          <option key={slo.name} value={slo.name}>
            {slo.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function StageSections({ data, query }: { data: StageStatistics; query: URLSearchParams }) {
  return (
    <>
      <TailSummary data={data} />
      <RecommendationCard query={query} />
      <section className="card" aria-labelledby="stages-heading">
        <h2 id="stages-heading">Per stage</h2>
        <StageTable data={data} />
        <p className="sub">
          Extra: mean time per slow attempt the stage spent on the critical path before the first
          successful inference, minus the same for a typical attempt. Share: its part of the slow
          attempts' extra time; with "between stages" the shares add up to 100%. Stages that start
          after the first inference are shown but not counted. On path: how often the stage was on
          the critical path of an attempt that served. See docs/dashboard.md.
        </p>
      </section>
      <HandoffsCard query={query} />
      {query.has("slo") ? <BudgetsCard query={query} /> : null}
      <DriftCard query={query} />
    </>
  );
}

export function StagesPage() {
  const { state } = useNavigation();
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
        <SloFilter overview={overview.data} />
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
        <StageSections data={data} query={query} />
      )}
    </>
  );
}
