import type { OverviewSlo } from "../../../../src/contract/overview-schema.js";
import { BudgetBar } from "../../components/budget-bar.js";
import { PolicyBadge, policyTerms } from "../../components/policy-badge.js";
import { StatePill } from "../../components/state-pill.js";
import { duration, forecastText, percent, rate } from "../../format.js";
import { Link } from "../../navigation.js";

function BurnRate({ value }: { value: number }) {
  const tone = value > 2 ? "bad" : value > 1 ? "risk" : "muted";
  return <span className={`num tone-text-${tone}`}>{rate(value)}</span>;
}

function selectorText(slo: OverviewSlo): string {
  const parts = [
    slo.selector.environment === null ? null : `env ${slo.selector.environment}`,
    slo.selector.model === null ? null : `model ${slo.selector.model}`,
    ...Object.entries(slo.selector.labels).map(([k, v]) => `${k}=${v}`),
    slo.indicator.type === "stage" ? `stage ${slo.indicator.stage}` : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? "every attempt" : parts.join(" · ");
}

export function SloTable({ slos, at }: { slos: readonly OverviewSlo[]; at: string }) {
  return (
    <div className="table-wrap">
      <table className="slo-table">
        <thead>
          <tr>
            <th scope="col">SLO</th>
            <th scope="col">State</th>
            <th scope="col" title="What the SLO's error budget policy does to a normal change now">
              Deploy policy
            </th>
            <th scope="col" className="right">
              Compliance / target
            </th>
            <th scope="col">Error budget left</th>
            <th
              scope="col"
              className="right"
              title="Burn rate over the last 1 h / 6 h / 1 d / 3 d; 1× spends the budget exactly over the window"
            >
              Burn 1h · 6h · 1d · 3d
            </th>
            <th scope="col" className="right">
              p95 / threshold
            </th>
            <th scope="col" className="right">
              Counted
            </th>
          </tr>
        </thead>
        <tbody>
          {slos.map((slo) => (
            <tr key={slo.name} data-slo={slo.name}>
              <td>
                <Link to={{ page: { kind: "slo", name: slo.name } }} className="slo-name">
                  {slo.name}
                </Link>
                <div className="sub">
                  {selectorText(slo)} · {slo.window.length} window
                </div>
              </td>
              <td>
                <StatePill state={slo.state} />
              </td>
              <td data-field="policy">
                <PolicyBadge policy={slo.policy} />
                <div className="sub">{policyTerms(slo.policy)}</div>
              </td>
              <td className="right">
                <span
                  className={`num strong tone-text-${slo.met ? "good" : "bad"}`}
                  data-field="compliance"
                >
                  {percent(slo.compliance)}
                </span>
                <span className="muted">
                  {" "}
                  / {percent(slo.target, slo.target * 100 === Math.round(slo.target * 100) ? 0 : 2)}
                </span>
              </td>
              <td>
                <BudgetBar ratio={slo.errorBudget.remainingRatio} state={slo.state} />
                <div className="sub" data-field="forecast">
                  {forecastText(slo.forecast.exhaustsAt, at)}
                </div>
              </td>
              <td className="right burn">
                <BurnRate value={slo.burnRates["1h"]} /> · <BurnRate value={slo.burnRates["6h"]} />{" "}
                · <BurnRate value={slo.burnRates["1d"]} /> ·{" "}
                <BurnRate value={slo.burnRates["3d"]} />
              </td>
              <td className="right">
                <span className="num" data-field="p95">
                  {duration(slo.percentiles.p95)}
                </span>
                <span className="muted"> / {duration(slo.thresholdSeconds)}</span>
              </td>
              <td className="right num" data-field="eligible">
                {slo.eligible.toLocaleString("en")}
                {slo.inProgress > 0 ? <div className="sub">{slo.inProgress} running</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
