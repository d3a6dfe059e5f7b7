import { useApi } from "../../api.js";
import type { AttemptSummary, Histogram, Overview, SloDetail } from "../../api-types.js";
import { useNavigation, useRangeNow } from "../../navigation.js";
import { timeRange } from "../../route.js";

const POINTS = 120;

function withAt(path: string, at: string | null): string {
  if (at === null) return path;
  return `${path}${path.includes("?") ? "&" : "?"}at=${encodeURIComponent(at)}`;
}

/**
 * Everything an SLO page shows, fetched as of one instant: the end of a custom range, else the
 * server's present. The cards, the state, the charts and the histogram never mix instants.
 */
export function useSloPageData(name: string) {
  const { state } = useNavigation();
  const now = useRangeNow();
  const base = `/api/v1/slos/${encodeURIComponent(name)}`;
  const customEnd = state.range === "custom" ? timeRange(state, now, null).to : null;
  const at = customEnd === null ? null : new Date(customEnd).toISOString();
  const detail = useApi<SloDetail>(withAt(`${base}?points=${POINTS}`, at));
  const windowStart = detail.data === undefined ? null : Date.parse(detail.data.slo.window.start);
  const range = timeRange(state, now, windowStart);
  const ready = state.range !== "window" || detail.data !== undefined;
  const from = new Date(range.from).toISOString();
  const history = useApi<SloDetail>(
    ready ? withAt(`${base}?from=${encodeURIComponent(from)}&points=${POINTS}`, at) : null,
  );
  // The state (ok / burning / exhausted) is the API's, from the overview endpoint.
  const overview = useApi<Overview>(withAt("/api/v1/overview", at));
  const histogram = useApi<Histogram>(withAt(`${base}/histogram`, at));
  const attemptsQuery = new URLSearchParams({ from, limit: "25" });
  if (at !== null) attemptsQuery.set("to", at);
  const attempts = useApi<{ attempts: AttemptSummary[] }>(
    ready ? `${base}/attempts?${attemptsQuery}` : null,
  );
  return {
    at,
    detail,
    history,
    histogram,
    attempts,
    sloState: overview.data?.slos.find((s) => s.name === name)?.state,
  };
}
