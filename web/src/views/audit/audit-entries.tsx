import type { AuditEntryJson } from "../../../../src/contract/audit-entry-schema.js";
import { Empty } from "../../components/status.js";
import { count, percent, when } from "../../format.js";
import { Link } from "../../navigation.js";

/** GET /api/v1/audit's answer. */
export interface AuditPage {
  entries: AuditEntryJson[];
  nextBefore: number | null;
}

/** One SLO's numbers as an entry recorded them: a gate verdict's inputs, or a policy state. */
interface RecordedSlo {
  name: string;
  decision?: string;
  state?: string;
  reason?: string;
  remainingRatio?: number;
  exemptedBy?: string | null;
  inputs?: {
    eligible: number;
    bad: number;
    remainingRatio: number;
    windowStart: string;
    windowEnd: string;
  };
}

function recordedSlos(entry: AuditEntryJson): RecordedSlo[] {
  const slos = entry.detail.slos;
  if (!Array.isArray(slos)) return [];
  return slos.filter(
    (slo): slo is RecordedSlo =>
      typeof slo === "object" && slo !== null && typeof (slo as RecordedSlo).name === "string",
  );
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

const KIND_LABEL: Record<AuditEntryJson["kind"], string> = {
  gate_decision: "Gate decision",
  exemption: "Exemption",
  approval: "Approval",
};

function Outcome({ entry }: { entry: AuditEntryJson }) {
  if (entry.decision === null) return <span className="pill pill-neutral">approved</span>;
  const tone =
    entry.decision === "allow" ? "ok" : entry.decision === "deny" ? "exhausted" : "burning";
  return (
    <span className={`pill pill-${tone}`} data-decision={entry.decision}>
      {entry.decision.replace(/_/g, " ")}
    </span>
  );
}

function SloNumbers({ slo }: { slo: RecordedSlo }) {
  const verdict = slo.decision ?? slo.state;
  const inputs = slo.inputs;
  return (
    <li data-slo={slo.name}>
      <Link to={{ page: { kind: "slo", name: slo.name } }}>{slo.name}</Link>
      {verdict === undefined ? null : <> {verdict.replace(/_/g, " ")}</>}
      {inputs === undefined ? (
        slo.remainingRatio === undefined ? null : (
          <span className="muted"> · {percent(slo.remainingRatio, 1)} of the budget left</span>
        )
      ) : (
        <span className="muted" data-field="inputs">
          {" "}
          · {percent(inputs.remainingRatio, 1)} of the budget left · {inputs.bad} bad of{" "}
          {count(inputs.eligible, "eligible", "eligible")} · window {when(inputs.windowStart)} →{" "}
          {when(inputs.windowEnd)}
        </span>
      )}
      {slo.exemptedBy === null || slo.exemptedBy === undefined ? null : (
        <span className="muted"> · exempt as a {slo.exemptedBy}</span>
      )}
    </li>
  );
}

function What({ entry }: { entry: AuditEntryJson }) {
  const scope = `${entry.model}${entry.version === null ? "" : ` ${entry.version}`} → ${entry.environment}`;
  if (entry.kind === "approval") {
    const expires = entry.detail.expiresAt;
    return (
      <>
        <div>
          <strong>{scope}</strong> approved by {entry.actor}
          {typeof expires === "number" ? <> until {when(new Date(expires).toISOString())}</> : null}
        </div>
        <div className="sub">“{text(entry.detail.reason) ?? ""}”</div>
      </>
    );
  }
  const change = text(entry.detail.change);
  const reasons = Array.isArray(entry.detail.reasons) ? entry.detail.reasons : [];
  return (
    <>
      <div>
        <strong>{scope}</strong>
        {change === null ? null : <span className="muted"> ({change} change)</span>} asked by{" "}
        {entry.actor}
      </div>
      {reasons.map((reason) => (
        <div className="sub" key={String(reason)}>
          {String(reason)}
        </div>
      ))}
    </>
  );
}

/** Audit entries, newest first, each with the numbers of every SLO it concerned. */
export function AuditEntries({ entries }: { entries: readonly AuditEntryJson[] }) {
  if (entries.length === 0) {
    return (
      <Empty title="No audit entries">
        <p>No gate decision or approval matches these filters in this time range.</p>
      </Empty>
    );
  }
  return (
    <div className="table-wrap">
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Outcome</th>
            <th scope="col">Promotion</th>
            <th scope="col">SLO numbers it saw</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq} data-seq={entry.seq} data-kind={entry.kind}>
              <td className="num muted">{entry.seq}</td>
              <td className="nowrap">{when(entry.at)}</td>
              <td className="nowrap">{KIND_LABEL[entry.kind]}</td>
              <td>
                <Outcome entry={entry} />
              </td>
              <td>
                <What entry={entry} />
              </td>
              <td>
                {recordedSlos(entry).length === 0 ? (
                  <span className="muted">no SLO selected it</span>
                ) : (
                  <ul className="audit-slos">
                    {recordedSlos(entry).map((slo) => (
                      <SloNumbers key={slo.name} slo={slo} />
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
