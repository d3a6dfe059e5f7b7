import type { InProgressAttempt } from "../api-types.js";
import { duration, when } from "../format.js";
import { Link } from "../navigation.js";

/**
 * A warning above the overview for attempts in progress for long past their threshold: the
 * likeliest story is a pipeline that stopped without recording its end. Renders nothing when
 * there are none.
 */
export function StaleAttempts({ attempts }: { attempts: readonly InProgressAttempt[] }) {
  const stale = attempts.filter((attempt) => attempt.stale);
  if (stale.length === 0) return null;
  return (
    <section
      className="notice notice-error"
      aria-label="Stale attempts"
      data-testid="stale-attempts"
    >
      <strong>
        {stale.length === 1 ? "1 attempt has" : `${stale.length} attempts have`} been in progress
        for long, with no end recorded.
      </strong>
      <span>
        Did a pipeline stop between its start and its finish? Unless an end is recorded, each is
        recorded as timed out at its in-progress timeout.
      </span>
      <ul>
        {stale.map((attempt) => (
          <li key={attempt.id} data-attempt={attempt.id}>
            <Link to={{ page: { kind: "attempt", id: attempt.id } }} className="mono">
              {attempt.id}
            </Link>{" "}
            ({attempt.model} {attempt.version} → {attempt.environment}): running for{" "}
            {duration(attempt.elapsedSeconds)}, threshold {duration(attempt.thresholdSeconds)},
            times out {when(attempt.timeoutAt)}
          </li>
        ))}
      </ul>
    </section>
  );
}
