import type { EnvironmentDriftJson as Drift } from "../../../../src/contract/environment-drift-schema.js";
import { useApi } from "../../api.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { count, duration, percent, when } from "../../format.js";

type Change = Drift["changes"][number];
type Figures = Change["before"];

/** Long values (image digests) cut to a readable prefix; the whole value is the tooltip. */
function short(value: string | null): string {
  if (value === null) return "(none)";
  return value.length > 19 ? `${value.slice(0, 19)}…` : value;
}

function pValue(p: number): string {
  return p < 0.0001 ? "p < 0.0001" : `p = ${Number(p.toPrecision(2))}`;
}

function rate(f: Figures): string {
  return f.failureRate === null ? "—" : percent(f.failureRate, 1);
}

function Fingerprints({ d }: { d: Drift }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Serving fingerprint</th>
            <th scope="col">Used by</th>
            <th scope="col" className="right">
              Attempts
            </th>
            <th scope="col" className="right">
              Failure rate
            </th>
            <th scope="col" className="right">
              p50
            </th>
            <th scope="col" className="right">
              p95
            </th>
          </tr>
        </thead>
        <tbody>
          {d.fingerprints.map((g) => (
            <tr key={g.text} data-fingerprint={g.text}>
              <td className="mono" title={g.text}>
                {g.text === ""
                  ? "(none recorded)"
                  : Object.entries(g.fingerprint)
                      .map(([k, v]) => `${k}=${short(v)}`)
                      .join(", ")}
              </td>
              <td>
                {g.models.join(", ")} in {g.environments.join(", ")}
              </td>
              <td className="right num">{g.attempts.toLocaleString("en")}</td>
              <td className="right num" data-field="failure-rate">
                {rate(g)}
              </td>
              <td className="right num">{duration(g.durations.p50)}</td>
              <td className="right num" data-field="p95">
                {duration(g.durations.p95)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChangeRow({ c }: { c: Change }) {
  return (
    <tr data-change={`${c.model}/${c.environment}`} data-coincides={String(c.coincides)}>
      <td>{when(c.at)}</td>
      <td>
        {c.model} in {c.environment}
      </td>
      <td className="mono">
        {c.changed.map((k) => `${k.key} ${short(k.from)} → ${short(k.to)}`).join(", ")}
      </td>
      <td className="right num" data-field="change-failure-rate">
        {rate(c.before)} → {rate(c.after)}
        <div className="sub">{pValue(c.failureRate.pValue)}</div>
      </td>
      <td className="right num" data-field="change-p95">
        {duration(c.before.durations.p95)} → {duration(c.after.durations.p95)}
        <div className="sub">{pValue(c.p95.pValue)}</div>
      </td>
      <td data-field="verdict">
        {c.coincides ? (
          <span className="pill pill-exhausted">
            shift in{" "}
            {[c.failureRate.significant ? "failure rate" : "", c.p95.significant ? "p95" : ""]
              .filter((s) => s !== "")
              .join(" and ")}
          </span>
        ) : (
          <span className="pill pill-neutral">no shift</span>
        )}
      </td>
    </tr>
  );
}

function Changes({ d }: { d: Drift }) {
  if (d.changes.length === 0)
    return <p className="sub">No fingerprint change within a model and environment.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Changed</th>
            <th scope="col">Where</th>
            <th scope="col">What</th>
            <th scope="col" className="right">
              Failure rate
            </th>
            <th scope="col" className="right">
              p95
            </th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {d.changes.map((c) => (
            <ChangeRow key={`${c.model}/${c.environment}/${c.at}`} c={c} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Mismatches({ m }: { m: Drift["mismatches"] }) {
  if (m.checked === 0)
    return (
      <p className="sub" data-field="mismatches">
        No attempt records a validated or trained fingerprint to compare with.
      </p>
    );
  return (
    <p className="sub" data-field="mismatches">
      Served on another environment than validated or trained:{" "}
      <strong>{count(m.mismatched.attempts, "attempt")}</strong> of {m.checked.toLocaleString("en")}{" "}
      compared (failure rate {rate(m.mismatched)}, against {rate(m.matching)} for the others)
      {m.differences.length === 0
        ? "."
        : `: ${m.differences.map((x) => `${x.key} served ${short(x.serving)}, ${x.against} ${short(x.reference)} (${count(x.attempts, "attempt")})`).join("; ")}.`}
    </p>
  );
}

function Body({ d }: { d: Drift }) {
  const flagged = d.changes.filter((c) => c.coincides).length;
  return (
    <>
      <p className="lead" data-field="drift-summary">
        {count(d.fingerprints.filter((g) => g.text !== "").length, "serving fingerprint")},{" "}
        {count(d.changes.length, "change")}; <strong>{flagged}</strong> coincided with a shift in
        failure rate or p95.
      </p>
      <Fingerprints d={d} />
      <Changes d={d} />
      <Mismatches m={d.mismatches} />
    </>
  );
}

/** Environment drift: outcomes per serving fingerprint and the changes that shifted them. */
export function DriftCard({ query }: { query: URLSearchParams }) {
  const loaded = useApi<Drift>(`/api/v1/insight/drift?${query}`);
  return (
    <section className="card" aria-labelledby="drift-heading">
      <h2 id="drift-heading">Environment drift</h2>
      {loaded.state === "error" ? (
        <ErrorNotice error={loaded.error} what="drift figures" retry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading what="drift figures" />
      ) : (
        <Body d={loaded.data} />
      )}
      <p className="sub">
        Fingerprint: the framework, runtime, CUDA and driver versions, image digest and hardware an
        attempt records (docs/records.md). A change is compared over up to{" "}
        {loaded.data?.compare ?? 100} attempts each side with Fisher's exact test,
        Bonferroni-corrected over the changes shown. See docs/insight.md.
      </p>
    </section>
  );
}
