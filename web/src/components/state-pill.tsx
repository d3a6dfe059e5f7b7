import type { SloState } from "../../../src/contract/slo-state-schema.js";

const LABEL: Record<SloState, string> = { ok: "OK", burning: "Burning", exhausted: "Exhausted" };

export function StatePill({ state }: { state: SloState }) {
  return (
    <span className={`pill pill-${state}`} data-state={state}>
      {LABEL[state]}
    </span>
  );
}

export function OutcomePill({ outcome }: { outcome: string }) {
  const tone =
    outcome === "succeeded"
      ? "ok"
      : outcome === "in_progress" || outcome === "cancelled"
        ? "neutral"
        : "exhausted";
  return <span className={`pill pill-${tone}`}>{outcome.replace(/_/g, " ")}</span>;
}
