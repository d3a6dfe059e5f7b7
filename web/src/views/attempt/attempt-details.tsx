import type { AttemptRecord } from "../../api-types.js";
import { duration } from "../../format.js";
import { Attributes } from "./attributes.js";

function DependencyTable({ attempt }: { attempt: AttemptRecord }) {
  const start = Date.parse(attempt.startedAt);
  const dependencies = attempt.dependencies ?? [];
  if (dependencies.length === 0)
    return <p className="muted">The record has no dependency samples.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Sample</th>
          <th scope="col" className="right">
            Duration
          </th>
          <th scope="col">At</th>
          <th scope="col">Attributes</th>
        </tr>
      </thead>
      <tbody>
        {dependencies.map((d) => (
          <tr key={`${d.name}-${d.at ?? ""}-${d.seconds}`}>
            <td>{d.name}</td>
            <td className="right num">{duration(d.seconds)}</td>
            <td className="muted">
              {d.at === undefined ? "—" : `+${duration((Date.parse(d.at) - start) / 1000)}`}
            </td>
            <td className="mono small">
              {Object.entries(d.attributes ?? {})
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(" ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StageAttributes({ attempt }: { attempt: AttemptRecord }) {
  const stages = (attempt.stages ?? []).filter((s) => Object.keys(s.attributes ?? {}).length > 0);
  if (stages.length === 0) return null;
  return (
    <>
      <h3>Stage attributes</h3>
      {stages.map((s) => (
        <div key={`${s.name}-${s.startedAt}`} className="stage-attrs">
          <strong>{s.name}</strong> <Attributes values={s.attributes} />
        </div>
      ))}
    </>
  );
}

/** The record as stored: attributes, labels, dependency samples and stage attributes. */
export function AttemptDetails({ attempt }: { attempt: AttemptRecord }) {
  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="attr-heading">
        <h2 id="attr-heading">Attributes</h2>
        <Attributes values={attempt.attributes} />
        {attempt.labels === undefined ? null : (
          <>
            <h3>Labels</h3>
            <Attributes values={attempt.labels} />
          </>
        )}
      </section>
      <section className="card" aria-labelledby="dep-heading">
        <h2 id="dep-heading">Dependency samples and probe</h2>
        <DependencyTable attempt={attempt} />
        <StageAttributes attempt={attempt} />
      </section>
    </div>
  );
}
