import {
  type AttemptRecordJson,
  attemptToRecordJson,
} from "../core/attempt/attempt-to-record-json.js";
import { criticalPath } from "../core/attempt/critical-path.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Slo } from "../core/spec/slo.js";
import type { Store } from "../store/store.js";

export interface AttemptTrace {
  readonly attempt: AttemptRecordJson;
  /** Indexes into attempt.stages, in time order; see core/attempt/critical-path.ts for the rule. */
  readonly criticalPath: readonly number[];
  /** Deployment SLOs that select this attempt, with their thresholds. */
  readonly slos: readonly { readonly name: string; readonly thresholdSeconds: number }[];
}

/** One attempt with what its waterfall needs besides the record. */
export async function getAttemptTrace(
  store: Store,
  slos: readonly Slo[],
  id: string,
  at: number,
): Promise<AttemptTrace> {
  const attempt = await store.getAttempt(id);
  if (attempt === undefined) throw new DeploysloError("NOT_FOUND", `no attempt with id "${id}"`);
  const endPoint = sloEndPoint(attempt) ?? at;
  return {
    attempt: attemptToRecordJson(attempt),
    criticalPath: criticalPath(attempt.stages, endPoint, at),
    slos: slos
      .filter(
        (slo) => slo.indicator.kind === "deployment" && selectorMatcher(slo.selector)(attempt),
      )
      .map((slo) => ({ name: slo.name, thresholdSeconds: slo.objective.thresholdMs / 1000 })),
  };
}
