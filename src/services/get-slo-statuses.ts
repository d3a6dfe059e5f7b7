import type { EvaluationResult } from "../core/evaluation/evaluation-result.js";
import { type ReadScope, visibleSloNames } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/** Every SLO's status as of `at` that the reader may see (GET /api/v1/slos, /metrics). */
export async function getSloStatuses({
  ctx: { engine },
  input: { at, scope },
}: UseCaseCall<
  "engine",
  { readonly at: number; readonly scope: ReadScope }
>): Promise<EvaluationResult> {
  const result = await engine.status(at);
  if (scope === undefined) return result;
  const visible = visibleSloNames(scope, engine.slos);
  return { at: result.at, slos: result.slos.filter((status) => visible(status.name)) };
}
