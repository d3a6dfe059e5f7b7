import type { Loadable } from "../../api.js";
import type { AttemptSummary, SloStatus } from "../../api-types.js";
import { AttemptCells, AttemptHeaderCells } from "../../components/attempt-cells.js";
import { OutcomePill } from "../../components/state-pill.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { duration, when } from "../../format.js";
import { measuredLabel } from "./indicator-text.js";

function AttemptRow({ attempt, slo }: { attempt: AttemptSummary; slo: SloStatus }) {
  const measuredTone = attempt.overThreshold ? "tone-text-bad" : "";
  return (
    <tr data-attempt={attempt.id}>
      <AttemptCells attempt={attempt} />
      <td>
        <OutcomePill outcome={attempt.outcome} />
      </td>
      {slo.indicator.type === "deployment" ? null : (
        <td className={`right num ${measuredTone}`} data-field="measured">
          {duration(attempt.measuredSeconds)}
        </td>
      )}
      <td
        className={`right num ${slo.indicator.type === "deployment" ? measuredTone : ""}`}
        data-field="duration"
      >
        {duration(attempt.durationSeconds)}
      </td>
      <td data-field="slowest-stage">
        {attempt.slowestStage === null ? (
          <span className="muted">—</span>
        ) : (
          <>
            {attempt.slowestStage.name}{" "}
            <span className="muted">{duration(attempt.slowestStage.seconds)}</span>
          </>
        )}
      </td>
      <td className="muted">{when(attempt.startedAt)}</td>
    </tr>
  );
}

function AttemptTable({ attempts, slo }: { attempts: AttemptSummary[]; slo: SloStatus }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <AttemptHeaderCells />
            <th scope="col">Outcome</th>
            {slo.indicator.type === "deployment" ? null : (
              <th
                scope="col"
                className="right"
                title="The longest this SLO measured on the attempt, against its threshold"
              >
                {measuredLabel(slo.indicator)}
              </th>
            )}
            <th scope="col" className="right">
              Deployment duration
            </th>
            <th scope="col" title="The longest stage that ended by the first inference">
              Slowest stage
            </th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => (
            <AttemptRow key={attempt.id} attempt={attempt} slo={slo} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The newest attempts the SLO selects that started in the selected range. */
export function SloAttemptsCard({
  attempts,
  slo,
}: {
  attempts: Loadable<{ attempts: AttemptSummary[] }> & { reload(): void };
  slo: SloStatus;
}) {
  return (
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
        <AttemptTable attempts={attempts.data.attempts} slo={slo} />
      )}
    </section>
  );
}
