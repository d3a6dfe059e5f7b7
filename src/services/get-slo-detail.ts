import type { SloDetail } from "../contract/slo-detail-schema.js";
import { sloPolicyState } from "../core/policy/slo-policy-state.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { windowBounds } from "../core/spec/window-bounds.js";
import { type ReadScope, visibleSlo } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

export interface SloDetailInput {
  readonly name: string;
  readonly at: number;
  /** The history's first instant; default: the window's start as of `at`. */
  readonly from: number | undefined;
  /** How many evenly spaced instants, from `from` to `at` (≥ 2). */
  readonly points: number;
  readonly scope: ReadScope;
}

/** One SLO's status as of `at` and its history, for charts (GET /api/v1/slos/{name}). */
export async function getSloDetail({
  ctx: { engine },
  input: { name, at, from: given, points, scope },
}: UseCaseCall<"engine", SloDetailInput>): Promise<SloDetail> {
  const slo = visibleSlo(engine, name, scope);
  const from = given ?? windowBounds(slo.window, at).start;
  if (from >= at) throw new DeploysloError("INVALID_REQUEST", "from must be before at");
  const step = (at - from) / (points - 1);
  const ats = Array.from({ length: points }, (_, i) =>
    i === points - 1 ? at : Math.round(from + i * step),
  );
  const statuses = await engine.history(slo, ats);
  const current = statuses[statuses.length - 1];
  if (current === undefined) throw new DeploysloError("INTERNAL", "history produced no point");
  return {
    slo: current,
    policy: sloPolicyState(slo, current),
    history: statuses.map((status, i) => ({
      at: formatTimestamp(ats[i] ?? at),
      eligible: status.eligible,
      bad: status.bad,
      compliance: status.compliance,
      remainingRatio: status.errorBudget.remainingRatio,
      p50: status.percentiles.p50,
      p95: status.percentiles.p95,
      p99: status.percentiles.p99,
    })),
  };
}
