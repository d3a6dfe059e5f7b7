import type { AttemptTrace } from "../../api-types.js";
import { OutcomePill } from "../../components/state-pill.js";
import { duration, when } from "../../format.js";
import { Link } from "../../navigation.js";

/** Whether and when the new version served; an attempt still running has not failed to. */
function ServedText({ attempt }: { attempt: AttemptTrace["attempt"] }) {
  if (attempt.servingAt !== undefined) {
    const served = (Date.parse(attempt.servingAt) - Date.parse(attempt.startedAt)) / 1000;
    return (
      <>
        first successful inference after <strong data-field="served">{duration(served)}</strong>
      </>
    );
  }
  return (
    <span data-field="served">
      {attempt.outcome === "in_progress" ? "not serving yet (in progress)" : "never served"}
    </span>
  );
}

export function AttemptHeader({ trace }: { trace: AttemptTrace }) {
  const { attempt, slos } = trace;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={{ page: { kind: "overview" } }}>Overview</Link>
        {slos[0] === undefined ? null : (
          <>
            {" "}
            / <Link to={{ page: { kind: "slo", name: slos[0].name } }}>{slos[0].name}</Link>
          </>
        )}{" "}
        / <span className="mono">{attempt.id}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>
            {attempt.model} <span className="muted">v{attempt.version}</span> →{" "}
            {attempt.environment} <OutcomePill outcome={attempt.outcome} />
          </h1>
          <p className="muted">
            Attempt <span className="mono">{attempt.id}</span> · promote requested{" "}
            {when(attempt.startedAt)} · <ServedText attempt={attempt} />
            {slos.length === 0
              ? " · no deployment SLO selects it"
              : ` · SLOs: ${slos.map((s) => `${s.name} (${duration(s.thresholdSeconds)})`).join(", ")}`}
          </p>
        </div>
      </div>
    </>
  );
}
