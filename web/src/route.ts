// Every piece of view state lives in the URL: path for the page, query for the rest, so any
// view can be shared or bookmarked and reloads to the same place.

export type Page =
  | { kind: "overview" }
  | { kind: "slo"; name: string }
  | { kind: "attempt"; id: string }
  | { kind: "stages" }
  | { kind: "audit" }
  | { kind: "unknown"; path: string };

export const RANGES = ["24h", "7d", "30d", "window", "custom"] as const;
export type RangeKey = (typeof RANGES)[number];

export interface ViewState {
  page: Page;
  range: RangeKey;
  /** Custom range bounds, RFC 3339. */
  from: string | null;
  to: string | null;
  model: string | null;
  environment: string | null;
  /** Stages view: only attempts this SLO selects; audit log: only entries that concern it. */
  slo: string | null;
  /** Audit log: only entries of this kind (gate_decision, exemption, approval). */
  entry: string | null;
  /** Audit log: the page of entries written before this seq (null: the newest). */
  before: number | null;
  theme: "light" | "dark" | null;
}

export function parsePage(pathname: string): Page {
  const parts = pathname.split("/").filter((part) => part !== "");
  if (parts.length === 0) return { kind: "overview" };
  const [first, second] = parts;
  if (first === "slos" && second !== undefined && parts.length === 2)
    return { kind: "slo", name: decodeURIComponent(second) };
  if (first === "attempts" && second !== undefined && parts.length === 2)
    return { kind: "attempt", id: decodeURIComponent(second) };
  if (first === "stages" && parts.length === 1) return { kind: "stages" };
  if (first === "audit" && parts.length === 1) return { kind: "audit" };
  return { kind: "unknown", path: pathname };
}

export function pagePath(page: Page): string {
  switch (page.kind) {
    case "overview":
      return "/";
    case "slo":
      return `/slos/${encodeURIComponent(page.name)}`;
    case "attempt":
      return `/attempts/${encodeURIComponent(page.id)}`;
    case "stages":
      return "/stages";
    case "audit":
      return "/audit";
    case "unknown":
      return page.path;
  }
}

export function parseState(pathname: string, search: string): ViewState {
  const query = new URLSearchParams(search);
  const range = query.get("range");
  const theme = query.get("theme");
  const before = Number(query.get("before"));
  return {
    page: parsePage(pathname),
    range: (RANGES as readonly string[]).includes(range ?? "") ? (range as RangeKey) : "7d",
    from: query.get("from"),
    to: query.get("to"),
    model: query.get("model"),
    environment: query.get("environment"),
    slo: query.get("slo"),
    entry: query.get("entry"),
    before: Number.isInteger(before) && before > 0 ? before : null,
    theme: theme === "dark" || theme === "light" ? theme : null,
  };
}

/** The URL of a state; defaults are left out so links stay short. */
export function stateUrl(state: ViewState): string {
  const query = new URLSearchParams();
  if (state.range !== "7d") query.set("range", state.range);
  if (state.range === "custom") {
    if (state.from !== null) query.set("from", state.from);
    if (state.to !== null) query.set("to", state.to);
  }
  if (state.model !== null) query.set("model", state.model);
  if (state.environment !== null) query.set("environment", state.environment);
  const filtered = state.page.kind === "stages" || state.page.kind === "audit";
  if (state.slo !== null && filtered) query.set("slo", state.slo);
  if (state.page.kind === "audit") {
    if (state.entry !== null) query.set("entry", state.entry);
    if (state.before !== null) query.set("before", String(state.before));
  }
  if (state.theme !== null) query.set("theme", state.theme);
  const text = query.toString();
  return pagePath(state.page) + (text === "" ? "" : `?${text}`);
}

const HOUR = 3_600_000;
const SPANS: Record<"24h" | "7d" | "30d", number> = {
  "24h": 24 * HOUR,
  "7d": 168 * HOUR,
  "30d": 720 * HOUR,
};

/**
 * The time range the API queries use, as epoch ms; `windowStart` (an SLO's window start) is
 * used for "window". `to` is null for "now" (the server's clock decides).
 */
export function timeRange(
  state: ViewState,
  now: number,
  windowStart: number | null,
): { from: number; to: number | null } {
  if (state.range === "custom") {
    const from = state.from === null ? Number.NaN : Date.parse(state.from);
    const to = state.to === null ? Number.NaN : Date.parse(state.to);
    if (Number.isFinite(from) && Number.isFinite(to) && from < to) return { from, to };
    return { from: now - SPANS["7d"], to: null };
  }
  if (state.range === "window") return { from: windowStart ?? now - SPANS["30d"], to: null };
  return { from: now - SPANS[state.range], to: null };
}

/** The overview's API request for a state (also prefetched by main.tsx). */
export function overviewApiPath(state: ViewState): string {
  const query = new URLSearchParams();
  if (state.model !== null) query.set("model", state.model);
  if (state.environment !== null) query.set("environment", state.environment);
  // A custom range looks at the past: the status as of its end.
  if (state.range === "custom" && state.to !== null) query.set("at", state.to);
  const text = query.toString();
  return `/api/v1/overview${text === "" ? "" : `?${text}`}`;
}
