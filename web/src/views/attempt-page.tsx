import type { AttemptTrace } from "../../../src/contract/attempt-trace-schema.js";
import type { AttributeValue } from "../../../src/contract/attributes-schema.js";
import type { WrittenStageRecord as StageRecord } from "../../../src/contract/written-attempt-record-schema.js";
import { useApi } from "../api.js";
import { OutcomePill } from "../components/state-pill.js";
import { ErrorNotice, Loading } from "../components/status.js";
import { duration, when } from "../format.js";
import { Link } from "../navigation.js";

/** Tick spacing (seconds) giving about 6 ticks over `span`. */
function tickStep(span: number): number {
  const steps = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400,
  ];
  return steps.find((step) => span / step <= 7) ?? 86_400;
}

function Attributes({ values }: { values: Record<string, AttributeValue> | undefined }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <dl className="attributes">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd className="mono">{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Waterfall({ trace }: { trace: AttemptTrace }) {
  const attempt = trace.attempt;
  const stages = attempt.stages ?? [];
  const start = Date.parse(attempt.startedAt);
  const servingAt = attempt.servingAt === undefined ? null : Date.parse(attempt.servingAt);
  const threshold =
    trace.slos.length === 0 ? null : Math.min(...trace.slos.map((s) => s.thresholdSeconds));
  // A running stage is drawn up to now (display only; the attempt has not ended).
  const now = attempt.outcome === "in_progress" ? Date.now() : start;
  const ends = stages.map((stage) =>
    stage.endedAt === undefined
      ? Math.max(now, Date.parse(stage.startedAt))
      : Date.parse(stage.endedAt),
  );
  const last = Math.max(
    start + 1000,
    ...ends,
    servingAt ?? 0,
    attempt.endedAt === undefined ? 0 : Date.parse(attempt.endedAt),
  );
  // The axis covers the attempt, and the threshold too when it is not far beyond it.
  const span = Math.max(
    (last - start) / 1000,
    threshold === null ? 0 : Math.min(threshold * 1.05, ((last - start) / 1000) * 3),
  );
  const thresholdShown = threshold !== null && threshold <= span;
  const x = (seconds: number) => `${Math.max(0, Math.min(100, (seconds / span) * 100))}%`;
  const step = tickStep(span);
  const ticks = Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step);
  const critical = new Set(trace.criticalPath);

  if (stages.length === 0) {
    return (
      <p className="muted">
        This attempt's record has no stages, so there is no waterfall to draw.
      </p>
    );
  }
  const row = (stage: StageRecord, index: number) => {
    const from = (Date.parse(stage.startedAt) - start) / 1000;
    const running = stage.endedAt === undefined;
    const to = running
      ? (last - start) / 1000
      : (Date.parse(stage.endedAt ?? stage.startedAt) - start) / 1000;
    const onPath = critical.has(index);
    return (
      <div
        className="wf-row"
        key={`${stage.name}-${index}`}
        data-stage={stage.name}
        data-critical={onPath}
      >
        <div className="wf-label">
          <span className="wf-name">{stage.name}</span>
          <span className="sub">
            {stage.kind === "wait" ? "wait" : "active"} · {stage.status.replace(/_/g, " ")}
            {onPath ? <span className="wf-critical"> · critical</span> : null}
          </span>
        </div>
        <div className="wf-track">
          <div
            className={`wf-bar kind-${stage.kind} status-${stage.status} ${onPath ? "critical" : ""}`}
            style={{ left: x(from), width: `max(3px, calc(${x(to)} - ${x(from)}))` }}
            title={`${stage.name}: ${duration(to - from)} (${stage.kind})${onPath ? ", on the critical path" : ""}`}
          />
          <span className="wf-duration num" style={{ left: `calc(${x(to)} + 6px)` }}>
            {duration(to - from)}
            {running ? " (running)" : ""}
          </span>
        </div>
      </div>
    );
  };

  return (
    <figure className="waterfall" aria-label="Stages of the attempt on a time axis">
      <div className="wf-row wf-axis" aria-hidden="true">
        <div className="wf-label" />
        <div className="wf-track">
          {ticks.map((t) => (
            <span key={t} className="wf-tick" style={{ left: x(t) }}>
              {duration(t)}
            </span>
          ))}
        </div>
      </div>
      <div className="wf-body">
        {stages.map(row)}
        <div className="wf-overlay">
          <div className="wf-label" />
          <div className="wf-track">
            {ticks.map((t) => (
              <span key={t} className="wf-grid" style={{ left: x(t) }} />
            ))}
            {!thresholdShown || threshold === null ? null : (
              <span className="wf-marker threshold" style={{ left: x(threshold) }}>
                <span>threshold {duration(threshold)}</span>
              </span>
            )}
            {servingAt === null ? null : (
              <span className="wf-marker serving" style={{ left: x((servingAt - start) / 1000) }}>
                <span>first inference {duration((servingAt - start) / 1000)}</span>
              </span>
            )}
          </div>
        </div>
      </div>
      {threshold !== null && !thresholdShown ? (
        <p className="sub">The threshold ({duration(threshold)}) lies beyond this axis.</p>
      ) : null}
      <div className="legend">
        <span>
          <i className="swatch kind-active" /> active
        </span>
        <span>
          <i className="swatch kind-wait" /> wait
        </span>
        <span>
          <i className="swatch critical-swatch" /> critical path
        </span>
        <span>
          <i className="swatch line threshold" /> threshold
        </span>
        <span>
          <i className="swatch line serving" /> first successful inference
        </span>
      </div>
    </figure>
  );
}

export function AttemptPage({ id }: { id: string }) {
  const trace = useApi<AttemptTrace>(`/api/v1/attempts/${encodeURIComponent(id)}/trace`);
  if (trace.state === "error")
    return <ErrorNotice error={trace.error} what={`the attempt "${id}"`} retry={trace.reload} />;
  if (trace.data === undefined) return <Loading what={`the attempt "${id}"`} />;
  const { attempt, slos } = trace.data;
  const start = Date.parse(attempt.startedAt);
  const served =
    attempt.servingAt === undefined ? null : (Date.parse(attempt.servingAt) - start) / 1000;
  const dependencies = attempt.dependencies ?? [];
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
            {when(attempt.startedAt)} ·{" "}
            {served === null ? (
              "never served"
            ) : (
              <>
                first successful inference after{" "}
                <strong data-field="served">{duration(served)}</strong>
              </>
            )}
            {slos.length === 0
              ? " · no deployment SLO selects it"
              : ` · SLOs: ${slos.map((s) => `${s.name} (${duration(s.thresholdSeconds)})`).join(", ")}`}
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="wf-heading">
        <h2 id="wf-heading">Trace</h2>
        <Waterfall trace={trace.data} />
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="attr-heading">
          <h2 id="attr-heading">Attributes</h2>
          <Attributes values={attempt.attributes} />
          {attempt.labels === undefined ? null : (
            <>
              <h3>Labels</h3>
              <Attributes values={attempt.labels} />
            </>
          )}
        </section>
        <section className="card" aria-labelledby="dep-heading">
          <h2 id="dep-heading">Dependency samples and probe</h2>
          {dependencies.length === 0 ? (
            <p className="muted">The record has no dependency samples.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Sample</th>
                  <th scope="col" className="right">
                    Duration
                  </th>
                  <th scope="col">At</th>
                  <th scope="col">Attributes</th>
                </tr>
              </thead>
              <tbody>
                {dependencies.map((d) => (
                  <tr key={`${d.name}-${d.at ?? ""}-${d.seconds}`}>
                    <td>{d.name}</td>
                    <td className="right num">{duration(d.seconds)}</td>
                    <td className="muted">
                      {d.at === undefined ? "—" : `+${duration((Date.parse(d.at) - start) / 1000)}`}
                    </td>
                    <td className="mono small">
                      {Object.entries(d.attributes ?? {})
                        .map(([k, v]) => `${k}=${String(v)}`)
                        .join(" ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(attempt.stages ?? []).some((s) => Object.keys(s.attributes ?? {}).length > 0) ? (
            <>
              <h3>Stage attributes</h3>
              {(attempt.stages ?? [])
                .filter((s) => Object.keys(s.attributes ?? {}).length > 0)
                .map((s) => (
                  <div key={`${s.name}-${s.startedAt}`} className="stage-attrs">
                    <strong>{s.name}</strong> <Attributes values={s.attributes} />
                  </div>
                ))}
            </>
          ) : null}
        </section>
      </div>
    </>
  );
}
