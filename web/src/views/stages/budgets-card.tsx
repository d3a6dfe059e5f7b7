import type { StageBudgetsJson as Budgets } from "../../../../src/contract/stage-budgets-schema.js";
import { useApi } from "../../api.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { count, duration, percent } from "../../format.js";

function PathLine({ b }: { b: Budgets }) {
  const path = b.criticalPath;
  if (path === null) return null;
  return (
    <span data-field="budget-path">
      {" "}
      Most often on the critical path ({count(path.attempts, "attempt")}): {path.stages.join(" + ")}
      , {duration(path.budgetSeconds)} of budget, {path.exceedsThreshold ? "more than" : "within"}{" "}
      the threshold.
    </span>
  );
}

function Body({ b }: { b: Budgets }) {
  if (b.stages.length === 0)
    return (
      <p className="muted" data-field="no-budgets">
        {b.slo} has no stage budgets: give each stage a share of its threshold with
        spec.stageBudgets (docs/configuration.md).
      </p>
    );
  return (
    <>
      <p className="lead" data-field="budget-summary">
        The budgets add up to <strong>{duration(b.budgetSumSeconds)}</strong> against the{" "}
        {duration(b.thresholdSeconds)} threshold, over {count(b.eligible, "attempt")} judged (
        {b.breaching.toLocaleString("en")} bad).
        <PathLine b={b} />
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="right">
                Budget
              </th>
              <th scope="col" className="right">
                Ran
              </th>
              <th scope="col" className="right">
                Overran
              </th>
              <th scope="col" className="right">
                p95
              </th>
              <th scope="col" className="right">
                Time over
              </th>
              <th scope="col" className="right">
                In bad attempts
              </th>
            </tr>
          </thead>
          <tbody>
            {b.stages.map((s) => (
              <tr key={s.stage} data-budget-stage={s.stage}>
                <td>{s.stage}</td>
                <td className="right num" data-field="budget">
                  {duration(s.budgetSeconds)}
                </td>
                <td className="right num">{s.attempts.toLocaleString("en")}</td>
                <td className="right num" data-field="overrun-rate">
                  {percent(s.overrunRate, 1)}
                </td>
                <td className="right num">
                  {duration(s.p95)} ({percent(s.p95OfBudget, 0)})
                </td>
                <td className="right num">{duration(s.overrunSeconds)}</td>
                <td className="right num" data-field="in-bad">
                  {s.breachingWithOverrun.toLocaleString("en")} ({percent(s.breachingShare, 0)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The selected SLO's stage budgets (spec.stageBudgets) and how often each overran, from the API. */
export function BudgetsCard({ query }: { query: URLSearchParams }) {
  const loaded = useApi<Budgets>(`/api/v1/insight/budgets?${query}`);
  return (
    <section className="card" aria-labelledby="budgets-heading">
      <h2 id="budgets-heading">Stage budgets</h2>
      {loaded.state === "error" ? (
        <ErrorNotice error={loaded.error} what="stage budgets" retry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading what="stage budgets" />
      ) : (
        <Body b={loaded.data} />
      )}
      <p className="sub">
        Overran: of the attempts that ran the stage, those that spent longer in it than its budget.
        p95: the stage's p95 and its share of the budget. In bad attempts: the SLO's bad attempts in
        which the stage overran, and their share of all bad ones. See docs/insight.md.
      </p>
    </section>
  );
}
