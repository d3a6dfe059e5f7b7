import type { AttemptTrace, StageRecord } from "../../api-types.js";
import { duration } from "../../format.js";
import { type WaterfallScale, waterfallScale } from "./waterfall-scale.js";

function position(scale: WaterfallScale) {
  return (seconds: number) => `${Math.max(0, Math.min(100, (seconds / scale.span) * 100))}%`;
}

function StageRow({
  stage,
  index,
  scale,
  onPath,
}: {
  stage: StageRecord;
  index: number;
  scale: WaterfallScale;
  onPath: boolean;
}) {
  const x = position(scale);
  const from = (Date.parse(stage.startedAt) - scale.start) / 1000;
  const to = scale.stageEnds[index] ?? from;
  const running = stage.endedAt === undefined;
  return (
    <div className="wf-row" data-stage={stage.name} data-critical={onPath}>
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
}

function Markers({ scale, servingAt }: { scale: WaterfallScale; servingAt: string | undefined }) {
  const x = position(scale);
  const served = servingAt === undefined ? null : (Date.parse(servingAt) - scale.start) / 1000;
  return (
    <div className="wf-overlay">
      <div className="wf-label" />
      <div className="wf-track">
        {scale.ticks.map((t) => (
          <span key={t} className="wf-grid" style={{ left: x(t) }} />
        ))}
        {!scale.thresholdShown || scale.threshold === null ? null : (
          <span className="wf-marker threshold" style={{ left: x(scale.threshold) }}>
            <span>threshold {duration(scale.threshold)}</span>
          </span>
        )}
        {served === null ? null : (
          <span className="wf-marker serving" style={{ left: x(served) }}>
            <span>first inference {duration(served)}</span>
          </span>
        )}
      </div>
    </div>
  );
}

function Legend() {
  return (
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
  );
}

/** The attempt's stages on a time axis fitted to the attempt, with the API's critical path. */
export function Waterfall({ trace }: { trace: AttemptTrace }) {
  const stages = trace.attempt.stages ?? [];
  if (stages.length === 0) {
    return (
      <p className="muted">
        This attempt's record has no stages, so there is no waterfall to draw.
      </p>
    );
  }
  // A running stage is drawn up to now (display only; the attempt has not ended).
  const scale = waterfallScale(trace, Date.now());
  const x = position(scale);
  const critical = new Set(trace.criticalPath);
  return (
    <figure
      className="waterfall"
      aria-label="Stages of the attempt on a time axis"
      data-axis-end={scale.span}
    >
      <div className="wf-row wf-axis" aria-hidden="true">
        <div className="wf-label" />
        <div className="wf-track">
          {scale.ticks.map((t) => (
            <span key={t} className="wf-tick" style={{ left: x(t) }}>
              {duration(t)}
            </span>
          ))}
        </div>
      </div>
      <div className="wf-body">
        {stages.map((stage, index) => (
          <StageRow
            key={`${stage.name}-${stage.startedAt}`}
            stage={stage}
            index={index}
            scale={scale}
            onPath={critical.has(index)}
          />
        ))}
        <Markers scale={scale} servingAt={trace.attempt.servingAt} />
      </div>
      {scale.threshold !== null && !scale.thresholdShown ? (
        <p className="sub" data-field="threshold-beyond">
          The threshold ({duration(scale.threshold)}) lies beyond this attempt.
        </p>
      ) : null}
      <Legend />
    </figure>
  );
}
