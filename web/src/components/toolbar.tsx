import { useNavigation } from "../navigation.js";
import { RANGES, type RangeKey, type ViewState } from "../route.js";

const RANGE_LABEL: Record<RangeKey, string> = {
  "24h": "24 h",
  "7d": "7 d",
  "30d": "30 d",
  window: "SLO window",
  custom: "Custom",
};

function toLocalInput(iso: string | null): string {
  if (iso === null) return "";
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16) : "";
}

/** A custom range keeping the bounds already in the URL; by default the last 7 days. */
function customRange(state: ViewState): Partial<ViewState> {
  const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).concat(":00Z");
  const now = Date.now();
  return {
    range: "custom",
    from: state.from ?? minute(now - 7 * 86_400_000),
    to: state.to ?? minute(now),
  };
}

/** One bound of a custom range, as a UTC date and time; written to the URL. */
function BoundInput({ bound, label }: { bound: "from" | "to"; label: string }) {
  const { state, navigate } = useNavigation();
  return (
    <label>
      {label} (UTC){" "}
      <input
        type="datetime-local"
        value={toLocalInput(state[bound])}
        onChange={(e) => navigate({ [bound]: `${e.target.value}:00Z` }, { replace: true })}
      />
    </label>
  );
}

/** The time range that drives the API queries; written to the URL (range, from, to). */
export function RangePicker() {
  const { state, navigate } = useNavigation();
  return (
    <div className="range">
      <fieldset className="segmented" aria-label="Time range">
        {RANGES.map((range) => (
          <button
            key={range}
            type="button"
            aria-pressed={state.range === range}
            className={state.range === range ? "active" : ""}
            onClick={() => {
              if (range !== "custom") return navigate({ range }, { replace: true });
              navigate(customRange(state), { replace: true });
            }}
          >
            {RANGE_LABEL[range]}
          </button>
        ))}
      </fieldset>
      {state.range === "custom" ? (
        <span className="custom-range">
          <BoundInput bound="from" label="From" />
          <BoundInput bound="to" label="To" />
        </span>
      ) : null}
    </div>
  );
}

/**
 * For pages that show a status at one instant (the overview): live, or as of a chosen instant
 * (the `to` of a custom range; its `from` is kept for the pages that use ranges).
 */
export function InstantPicker() {
  const { state, navigate } = useNavigation();
  const asOf = state.range === "custom";
  return (
    <div className="range">
      <fieldset className="segmented" aria-label="Status as of">
        <button
          type="button"
          aria-pressed={!asOf}
          className={asOf ? "" : "active"}
          onClick={() => navigate({ range: "7d" }, { replace: true })}
        >
          Live
        </button>
        <button
          type="button"
          aria-pressed={asOf}
          className={asOf ? "active" : ""}
          onClick={() => navigate(customRange(state), { replace: true })}
        >
          As of…
        </button>
      </fieldset>
      {asOf ? (
        <span className="custom-range">
          <BoundInput bound="to" label="As of" />
        </span>
      ) : null}
    </div>
  );
}

/** Model and environment filters; the choices come from the stored attempts (overview API). */
export function ScopeFilters({
  models,
  environments,
}: {
  models: readonly string[];
  environments: readonly string[];
}) {
  const { state, navigate } = useNavigation();
  const select = (key: "model" | "environment", label: string, values: readonly string[]) => (
    <label className="filter">
      <span>{label}</span>
      <select
        name={key}
        value={state[key] ?? ""}
        onChange={(e) =>
          navigate(
            // A filter change starts a paged list (the audit log) again at its newest entries.
            { [key]: e.target.value === "" ? null : e.target.value, before: null },
            { replace: true },
          )
        }
      >
        <option value="">All</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
        {state[key] !== null && !values.includes(state[key] ?? "") ? (
          <option value={state[key] ?? ""}>{state[key]}</option>
        ) : null}
      </select>
    </label>
  );
  return (
    <div className="filters">
      {select("model", "Model", models)}
      {select("environment", "Environment", environments)}
    </div>
  );
}
