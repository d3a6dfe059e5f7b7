import type { AttemptTrace } from "../contract/attempt-trace-schema.js";
import { attemptToRecordJson } from "../core/attempt/attempt-to-record-json.js";
import { criticalPath } from "../core/attempt/critical-path.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { UseCaseCall } from "./service-context.js";

export type { AttemptTrace };

/** One attempt with what its waterfall needs besides the record, as of `at`. */
export async function getAttemptTrace({
  ctx,
  input: { id, at },
}: UseCaseCall<
  "store" | "engine",
  { readonly id: string; readonly at: number }
>): Promise<AttemptTrace> {
  const attempt = await ctx.store.getAttempt(id);
  if (attempt === undefined) throw new DeploysloError("NOT_FOUND", `no attempt with id "${id}"`);
  const endPoint = sloEndPoint(attempt) ?? at;
  return {
    attempt: attemptToRecordJson(attempt),
    criticalPath: criticalPath(attempt.stages, endPoint, at),
    slos: ctx.engine.slos
      .filter(
        (slo) => slo.indicator.kind === "deployment" && selectorMatcher(slo.selector)(attempt),
      )
      .map((slo) => ({ name: slo.name, thresholdSeconds: slo.objective.thresholdMs / 1000 })),
  };
}
