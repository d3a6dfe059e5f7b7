import type { Overview } from "../../../src/contract/overview-schema.js";
import { useApi } from "../api.js";
import { ErrorNotice, Loading } from "../components/status.js";
import { RangePicker, ScopeFilters } from "../components/toolbar.js";
import { useNavigation, useRangeNow } from "../navigation.js";
import { timeRange, type ViewState } from "../route.js";
import { AuditEntries, type AuditPage as AuditPageJson } from "./audit/audit-entries.js";

const PER_PAGE = 25;
const KINDS = [
  ["gate_decision", "Gate decisions"],
  ["exemption", "Exemptions"],
  ["approval", "Approvals"],
] as const;

/** The API request of the audit page for a state: its filters, range and page. */
export function auditApiPath(state: ViewState, now: number): string {
  const range = timeRange(state, now, null);
  const query = new URLSearchParams({ limit: String(PER_PAGE) });
  query.set("from", new Date(range.from).toISOString());
  if (range.to !== null) query.set("to", new Date(range.to).toISOString());
  if (state.slo !== null) query.set("slo", state.slo);
  if (state.model !== null) query.set("model", state.model);
  if (state.environment !== null) query.set("environment", state.environment);
  if (state.entry !== null) query.set("kind", state.entry);
  if (state.before !== null) query.set("before", String(state.before));
  return `/api/v1/audit?${query}`;
}

function Select({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  value: string | null;
  options: readonly (readonly [string, string])[];
  onChange: (value: string | null) => void;
}) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select
        name={name}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      >
        <option value="">All</option>
        {options.map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
        {value !== null && !options.some(([key]) => key === value) ? (
          <option value={value}>{value}</option>
        ) : null}
      </select>
    </label>
  );
}

/**
 * The audit log: every gate decision, exemption and approval the service recorded, newest
 * first, filtered by SLO, model, environment, kind and time range, a page at a time.
 */
export function AuditPage() {
  const { state, navigate } = useNavigation();
  const now = useRangeNow();
  const scope = useApi<Overview>("/api/v1/overview");
  const page = useApi<AuditPageJson>(auditApiPath(state, now));
  // A filter change starts again at the newest entries.
  const filter = (next: Partial<ViewState>) =>
    navigate({ ...next, before: null }, { replace: true });
  const slos = (scope.data?.slos ?? []).map((slo) => [slo.name, slo.name] as const);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            Every gate decision, exemption and approval, with the SLO numbers each one saw. Nothing
            here can be changed or deleted.
          </p>
        </div>
        <RangePicker />
      </div>
      <div className="toolbar audit-filters">
        <Select
          name="slo"
          label="SLO"
          value={state.slo}
          options={slos}
          onChange={(slo) => filter({ slo })}
        />
        <ScopeFilters
          models={scope.data?.models ?? []}
          environments={scope.data?.environments ?? []}
        />
        <Select
          name="entry"
          label="Kind"
          value={state.entry}
          options={KINDS}
          onChange={(entry) => filter({ entry })}
        />
      </div>
      {page.state === "error" ? (
        <ErrorNotice error={page.error} what="the audit log" retry={page.reload} />
      ) : null}
      {page.data === undefined ? (
        page.state === "loading" ? (
          <Loading what="the audit log" />
        ) : null
      ) : (
        <section className="card" aria-label="Audit entries">
          <AuditEntries entries={page.data.entries} />
          <div className="pager">
            {state.before === null ? null : (
              <button type="button" onClick={() => navigate({ before: null })}>
                ← Newest
              </button>
            )}
            {page.data.nextBefore === null ? null : (
              <button
                type="button"
                data-field="older"
                onClick={() => navigate({ before: page.data?.nextBefore ?? null })}
              >
                Older →
              </button>
            )}
          </div>
        </section>
      )}
    </>
  );
}
