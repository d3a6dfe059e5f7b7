import type { InProgressAttempt } from "../../api-types.js";
import { AttemptCells, AttemptHeaderCells } from "../../components/attempt-cells.js";
import { count, duration, when } from "../../format.js";

export function InProgressTable({
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
            <AttemptHeaderCells />
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
                <AttemptCells attempt={attempt} />
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
