import type { CoordinationOverheadJson as Overhead } from "../../../../src/contract/coordination-overhead-schema.js";
import { useApi } from "../../api.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { duration, percent } from "../../format.js";

type Split = Overhead["total"];

/** "weekly", "3-day periods", or the duration for other lengths. */
function periodName(seconds: number): string {
  if (seconds === 7 * 86_400) return "weekly";
  if (seconds === 86_400) return "daily";
  if (seconds % 86_400 === 0) return `${seconds / 86_400}-day periods`;
  return `${duration(seconds)} periods`;
}

function Row({
  label,
  split,
  attr,
}: {
  label: string;
  split: Split;
  attr: Record<string, string>;
}) {
  return (
    <tr {...attr}>
      <td>{label}</td>
      <td className="right num">{split.attempts.toLocaleString("en")}</td>
      <td className="right num" data-field="mean-wait">
        {duration(split.meanWaitSeconds)}
      </td>
      <td className="right num">{duration(split.p95WaitSeconds)}</td>
      <td className="right num" data-field="wait-share">
        {percent(split.waitShare, 1)}
      </td>
    </tr>
  );
}

function Table({ head, rows }: { head: string; rows: React.ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className="right">
              Attempts
            </th>
            <th scope="col" className="right">
              Mean wait
            </th>
            <th scope="col" className="right">
              p95 wait
            </th>
            <th scope="col" className="right">
              Wait share
            </th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </div>
  );
}

function Body({ o }: { o: Overhead }) {
  return (
    <>
      <p className="lead" data-field="handoff-summary">
        Deployments spent <strong>{percent(o.total.waitShare, 1)}</strong> of their time before the
        first inference waiting (approvals, queues, hand-offs): {duration(o.total.waitSeconds)} in
        total, against {duration(o.total.activeSeconds)} of active work.
      </p>
      <Table
        head={`By ${o.groupBy}`}
        rows={o.groups.map((g) => (
          <Row key={g.value} label={g.value} split={g} attr={{ "data-team": g.value }} />
        ))}
      />
      {o.waitStages.length === 0 ? null : (
        <p className="sub" data-field="wait-stages">
          {o.waitStages
            .map(
              (s) =>
                `${s.stage}: ${s.runs.toLocaleString("en")} runs, p50 ${duration(s.durations.p50)}, p95 ${duration(s.durations.p95)}, ${percent(s.criticalShare, 1)} of deployment time`,
            )
            .join(" · ")}
        </p>
      )}
      <Table
        head={`Trend (${periodName(o.bucketSeconds)})`}
        rows={o.trend.map((p) => (
          <Row
            key={p.from}
            label={p.from.slice(0, 10)}
            split={p}
            attr={{ "data-period": p.from }}
          />
        ))}
      />
    </>
  );
}

/** Coordination overhead: wait against active time per team and over time, from the API. */
export function HandoffsCard({ query }: { query: URLSearchParams }) {
  const loaded = useApi<Overhead>(`/api/v1/insight/handoffs?${query}`);
  return (
    <section className="card" aria-labelledby="handoffs-heading">
      <h2 id="handoffs-heading">Hand-offs</h2>
      {loaded.state === "error" ? (
        <ErrorNotice error={loaded.error} what="hand-off figures" retry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading what="hand-off figures" />
      ) : (
        <Body o={loaded.data} />
      )}
      <p className="sub">
        Time on the critical path before the first inference, in wait stages against active ones; a
        week's trend by when attempts started. See docs/insight.md.
      </p>
    </section>
  );
}
