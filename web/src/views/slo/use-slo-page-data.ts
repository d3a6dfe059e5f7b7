import type { AttemptSummary } from "../../../../src/contract/attempt-summary-schema.js";
import type { DurationHistogramJson as Histogram } from "../../../../src/contract/duration-histogram-schema.js";
import type { Overview } from "../../../../src/contract/overview-schema.js";
import type { SloDetail } from "../../../../src/contract/slo-detail-schema.js";
import { useApi } from "../../api.js";
import { useNavigation, useRangeNow } from "../../navigation.js";
import { timeRange } from "../../route.js";
import type { AuditPage } from "../audit/audit-entries.js";

const POINTS = 120;
/** Gate decisions and approvals shown on the SLO page; the audit log page has the rest. */
const AUDIT_ENTRIES = 10;

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
  const auditQuery = new URLSearchParams({ slo: name, from, limit: String(AUDIT_ENTRIES) });
  if (at !== null) auditQuery.set("to", at);
  const audit = useApi<AuditPage>(ready ? `/api/v1/audit?${auditQuery}` : null);
  return {
    at,
    detail,
    history,
    histogram,
    attempts,
    audit,
    sloState: overview.data?.slos.find((s) => s.name === name)?.state,
  };
}
