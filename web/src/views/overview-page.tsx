import { useEffect } from "react";
import { useApi } from "../api.js";
import type { AlertsJson, Overview } from "../api-types.js";
import { Empty, ErrorNotice, FirstAttemptHelp, Loading } from "../components/status.js";
import { InstantPicker, ScopeFilters } from "../components/toolbar.js";
import { when } from "../format.js";
import { useNavigation } from "../navigation.js";
import { overviewApiPath } from "../route.js";
import { OverviewSections, SampleNotice } from "./overview/overview-sections.js";
import { StateCounts } from "./overview/state-counts.js";

const POLL_MS = 5_000;

export function OverviewPage() {
  const { state } = useNavigation();
  const live = state.range !== "custom";
  const overview = useApi<Overview>(overviewApiPath(state), live ? POLL_MS : undefined);
  const data = overview.data;
  // Alerts are the evaluator's present state: shown live only.
  const alerts = useApi<AlertsJson>(
    live ? "/api/v1/alerts?state=firing&transitions=0" : null,
    POLL_MS,
  );
  useEffect(() => {
    // For the benchmark and for anyone profiling: when the first numbers reached the screen.
    if (
      data !== undefined &&
      performance.getEntriesByName("deployslo:overview-rendered").length === 0
    )
      performance.mark("deployslo:overview-rendered");
  }, [data]);
  const stored = data !== undefined && data.models.length > 0;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Deployment SLOs</h1>
          <p className="muted">
            Time from promote request to first successful inference, against each objective.
            {data === undefined ? null : <> Status as of {when(data.at)}.</>}
            {live ? (
              <span className="live" title="refreshes every 5 seconds">
                {" "}
                Live
              </span>
            ) : null}
          </p>
        </div>
        <InstantPicker />
      </div>
      {data?.sample ? <SampleNotice /> : null}
      <div className="toolbar">
        <ScopeFilters models={data?.models ?? []} environments={data?.environments ?? []} />
        {stored ? <StateCounts slos={data.slos} /> : null}
      </div>
      {overview.state === "error" ? (
        <ErrorNotice error={overview.error} what="the overview" retry={overview.reload} />
      ) : null}
      {data === undefined ? (
        overview.state === "loading" ? (
          <Loading what="SLO status" />
        ) : null
      ) : stored ? (
        <OverviewSections data={data} alerts={live ? alerts.data : undefined} live={live} />
      ) : (
        <Empty title="No attempts stored yet">
          <FirstAttemptHelp />
        </Empty>
      )}
    </>
  );
}
