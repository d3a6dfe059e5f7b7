import type {
  StageStatisticJson as StageStatistic,
  StageStatisticsJson as StageStatistics,
  TailPart,
} from "../../../../src/contract/stage-statistics-schema.js";
import { duration, percent } from "../../format.js";

function ShareBar({ part }: { part: TailPart }) {
  return (
    <div className="share">
      <div className="budget-track">
        <div
          className="budget-fill tone-risk"
          style={{ width: `${Math.max(0, Math.min(1, part.share ?? 0)) * 100}%` }}
        />
      </div>
      <span className="num" data-field="share">
        {percent(part.share, 0)}
      </span>
    </div>
  );
}

function Spread({ stage, maxP99 }: { stage: StageStatistic; maxP99: number }) {
  const at = (seconds: number | null) => `${((seconds ?? 0) / maxP99) * 100}%`;
  return (
    <div className="spread" aria-hidden="true">
      <span
        className="spread-range"
        style={{
          left: at(stage.p50),
          width: `${(((stage.p99 ?? 0) - (stage.p50 ?? 0)) / maxP99) * 100}%`,
        }}
      />
      <span className="spread-dot" style={{ left: at(stage.p50) }} />
      <span className="spread-dot p95" style={{ left: at(stage.p95) }} />
    </div>
  );
}

function StageRow({ stage, maxP99 }: { stage: StageStatistic; maxP99: number }) {
  // Every run began at or after its attempt's end point: shown, never blamed.
  const after = stage.runs > 0 && stage.runsAfterEndPoint === stage.runs;
  return (
    <tr data-stage={stage.stage} data-after-end-point={after}>
      <td>
        <strong>{stage.stage}</strong>{" "}
        <span className={`kind-tag kind-${stage.kind}`}>{stage.kind}</span>
        {after ? (
          <div className="sub" data-field="after-end-point">
            after first inference: not counted
          </div>
        ) : stage.runsAfterEndPoint + stage.runsPastEndPoint > 0 ? (
          <div className="sub" data-field="past-end-point">
            {(stage.runsAfterEndPoint + stage.runsPastEndPoint).toLocaleString("en")} of its runs
            ended after first inference: not counted
          </div>
        ) : null}
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
        <Spread stage={stage} maxP99={maxP99} />
      </td>
      <td className="right num" data-field="extra">
        {after ? "—" : duration(stage.extraSeconds)}
      </td>
      <td>{after ? <span className="muted">—</span> : <ShareBar part={stage} />}</td>
      <td className="right num" data-field="on-path">
        {percent(stage.criticalPathShare, 0)}
      </td>
    </tr>
  );
}

function BetweenRow({ part }: { part: TailPart }) {
  return (
    <tr data-between-stages>
      <td>
        <em>between stages</em>
        <div className="sub">before first inference, on no stage of the critical path</div>
      </td>
      <td colSpan={5} />
      <td className="right num" data-field="extra">
        {duration(part.extraSeconds)}
      </td>
      <td>
        <ShareBar part={part} />
      </td>
      <td />
    </tr>
  );
}

/** Per-stage percentiles and each stage's part of the tail, as the API computed them. */
export function StageTable({ data }: { data: StageStatistics }) {
  const maxP99 = Math.max(1, ...data.stages.map((s) => s.p99 ?? 0));
  return (
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
            <th scope="col" className="right">
              On path
            </th>
          </tr>
        </thead>
        <tbody>
          {data.stages.map((stage) => (
            <StageRow key={stage.stage} stage={stage} maxP99={maxP99} />
          ))}
          {data.betweenStages.extraSeconds === null ? null : (
            <BetweenRow part={data.betweenStages} />
          )}
        </tbody>
      </table>
    </div>
  );
}
