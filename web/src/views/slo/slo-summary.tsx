import type { SloState, SloStatus } from "../../api-types.js";
import { BudgetBar } from "../../components/budget-bar.js";
import { budgetAmount, duration, percent, rate } from "../../format.js";
import { Kpi } from "./kpi.js";

/** The cards at the top of an SLO page: every number is the API's status as of one instant. */
export function SloSummary({ slo, state }: { slo: SloStatus; state: SloState | undefined }) {
  return (
    <div className="kpis">
      <Kpi
        label="Compliance"
        field="compliance"
        value={percent(slo.compliance)}
        sub={`target ${percent(slo.target, 1)} · ${slo.met ? "met" : "violated"}`}
      />
      <div className="kpi">
        <div className="kpi-label">Error budget left</div>
        <BudgetBar ratio={slo.errorBudget.remainingRatio} state={state ?? "ok"} />
        <div className="sub" data-field="budget">
          {budgetAmount(slo.errorBudget.remaining, slo.errorBudget.unit)} of{" "}
          {budgetAmount(slo.errorBudget.total, slo.errorBudget.unit)}
        </div>
      </div>
      <Kpi
        label="Burn rate 1h · 6h · 1d"
        field="burn-rates"
        value={`${rate(slo.burnRates["1h"])} · ${rate(slo.burnRates["6h"])} · ${rate(slo.burnRates["1d"])}`}
        sub={`window ${rate(slo.burnRates.window)}`}
      />
      <Kpi
        label="p50 · p95 · p99"
        field="percentiles"
        value={`${duration(slo.percentiles.p50)} · ${duration(slo.percentiles.p95)} · ${duration(slo.percentiles.p99)}`}
        sub={`threshold ${duration(slo.thresholdSeconds)}`}
      />
      <Kpi
        label="Counted"
        field="eligible"
        value={slo.eligible.toLocaleString("en")}
        sub={`${slo.good.toLocaleString("en")} good · ${slo.bad.toLocaleString("en")} bad · ${slo.inProgress} running`}
      />
    </div>
  );
}
