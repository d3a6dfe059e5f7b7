import type { OverviewSlo } from "../../api-types.js";

/** How many SLOs are in each state the API gave them. */
export function StateCounts({ slos }: { slos: OverviewSlo[] }) {
  const counts = { ok: 0, burning: 0, exhausted: 0 };
  for (const slo of slos) counts[slo.state]++;
  return (
    <p className="summary" title="SLO states" data-field="state-counts">
      <span className="pill pill-ok">{counts.ok} OK</span>
      <span className="pill pill-burning">{counts.burning} burning</span>
      <span className="pill pill-exhausted">{counts.exhausted} exhausted</span>
    </p>
  );
}
