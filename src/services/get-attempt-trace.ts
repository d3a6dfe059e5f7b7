import type { AttemptTrace } from "../contract/attempt-trace-schema.js";
import { attemptToRecordJson } from "../core/attempt/attempt-to-record-json.js";
import { criticalPath } from "../core/attempt/critical-path.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { getAttempt } from "./get-attempt.js";
import { maySeeSlo, type ReadScope } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

export type { AttemptTrace };

/**
 * One attempt with what its waterfall needs besides the record, as of `at`: NOT_FOUND when the
 * reader may not see the attempt, and only the SLOs the reader may see.
 */
export async function getAttemptTrace({
  ctx,
  input: { id, at, scope },
}: UseCaseCall<
  "store" | "engine",
  { readonly id: string; readonly at: number; readonly scope: ReadScope }
>): Promise<AttemptTrace> {
  const attempt = await getAttempt({ ctx, input: { id, scope } });
  const endPoint = sloEndPoint(attempt) ?? at;
  return {
    attempt: attemptToRecordJson(attempt),
    criticalPath: criticalPath(attempt.stages, endPoint, at),
    slos: ctx.engine.slos
      .filter(
        (slo) =>
          slo.indicator.kind === "deployment" &&
          maySeeSlo(scope, slo) &&
          selectorMatcher(slo.selector)(attempt),
      )
      .map((slo) => ({ name: slo.name, thresholdSeconds: slo.objective.thresholdMs / 1000 })),
  };
}
