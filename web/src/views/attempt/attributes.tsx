import type { AttributeValue } from "../../api-types.js";

/** Key-value attributes as recorded. */
export function Attributes({ values }: { values: Record<string, AttributeValue> | undefined }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <dl className="attributes">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd className="mono">{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
