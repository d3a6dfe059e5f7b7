import type { ReactNode } from "react";

/** One summary card: a label, a value and an optional line below. */
export function Kpi({
  label,
  value,
  sub,
  field,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  field?: string;
}) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value num" data-field={field}>
        {value}
      </div>
      {sub === undefined ? null : <div className="sub">{sub}</div>}
    </div>
  );
}
