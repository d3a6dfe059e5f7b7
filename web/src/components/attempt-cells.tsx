import { Link } from "../navigation.js";

/** The first cells of an attempt's row: its id (linking to its trace), model and version. */
export function AttemptCells({
  attempt,
}: {
  attempt: { id: string; model: string; version: string; environment: string };
}) {
  return (
    <>
      <td>
        <Link to={{ page: { kind: "attempt", id: attempt.id } }} className="mono">
          {attempt.id}
        </Link>
      </td>
      <td>
        {attempt.model} <span className="muted">v{attempt.version}</span>
      </td>
      <td>{attempt.environment}</td>
    </>
  );
}

/** The headers of the cells above. */
export function AttemptHeaderCells() {
  return (
    <>
      <th scope="col">Attempt</th>
      <th scope="col">Model · version</th>
      <th scope="col">Environment</th>
    </>
  );
}
