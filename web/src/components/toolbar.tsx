import { useNavigation } from "../navigation.js";
import { RANGES, type RangeKey } from "../route.js";

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
              const to = new Date();
              const from = new Date(to.getTime() - 7 * 86_400_000);
              navigate(
                {
                  range,
                  from: state.from ?? from.toISOString().slice(0, 16).concat(":00Z"),
                  to: state.to ?? to.toISOString().slice(0, 16).concat(":00Z"),
                },
                { replace: true },
              );
            }}
          >
            {RANGE_LABEL[range]}
          </button>
        ))}
      </fieldset>
      {state.range === "custom" ? (
        <span className="custom-range">
          <label>
            From (UTC){" "}
            <input
              type="datetime-local"
              value={toLocalInput(state.from)}
              onChange={(e) => navigate({ from: `${e.target.value}:00Z` }, { replace: true })}
            />
          </label>
          <label>
            To (UTC){" "}
            <input
              type="datetime-local"
              value={toLocalInput(state.to)}
              onChange={(e) => navigate({ to: `${e.target.value}:00Z` }, { replace: true })}
            />
          </label>
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
          navigate({ [key]: e.target.value === "" ? null : e.target.value }, { replace: true })
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
