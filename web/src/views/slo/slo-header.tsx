import type { SloState, SloStatus } from "../../api-types.js";
import { StatePill } from "../../components/state-pill.js";
import { RangePicker } from "../../components/toolbar.js";
import { duration, when } from "../../format.js";
import { Link } from "../../navigation.js";
import { sloFacts } from "./indicator-text.js";

/** Breadcrumbs, name, state, description and the SLO's facts, each phrase apart. */
export function SloHeader({
  slo,
  state,
  at,
}: {
  slo: SloStatus;
  state: SloState | undefined;
  at: string | null;
}) {
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={{ page: { kind: "overview" } }}>Overview</Link> / <span>{slo.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>
            {slo.name} {state === undefined ? null : <StatePill state={state} />}
          </h1>
          {slo.description === null ? null : (
            <p className="slo-description" data-field="description">
              {slo.description}
            </p>
          )}
          <p className="muted" data-field="facts">
            {sloFacts(slo, duration(slo.thresholdSeconds)).join(" · ")}
            {at === null ? null : (
              <>
                {" · "}
                <span data-field="as-of">as of {when(at)}</span>
              </>
            )}
          </p>
        </div>
        <RangePicker />
      </div>
    </>
  );
}
