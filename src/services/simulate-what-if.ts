import { seededRandom } from "../clock/random.js";
import type { SimulationJson } from "../contract/simulation-schema.js";
import { selectorTerms } from "../core/analysis/selector-terms.js";
import { backtest, simulateChanges } from "../core/analysis/simulate-changes.js";
import { parseChange, type WhatIfChange } from "../core/analysis/what-if-change.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { type InsightScope, type InsightSource, insightAttempts } from "./insight-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export interface SimulateInput {
  readonly source: InsightSource;
  readonly scope: InsightScope;
  readonly changes: readonly string[];
  readonly thresholdMs: number;
  readonly resamples: number;
  /** Seeds the resampling; the same seed gives the same output. */
  readonly seed: number;
  /** Also predict the attempts started from this instant on from those before it. */
  readonly holdoutFrom?: number | undefined;
  /** The error code for a bad change: USAGE on the command line, INVALID_REQUEST over HTTP. */
  readonly invalid: "USAGE" | "INVALID_REQUEST";
}

function changesOf(texts: readonly string[], code: SimulateInput["invalid"]): WhatIfChange[] {
  if (texts.length === 0)
    throw new DeploysloError(code, "give at least one change, e.g. stage:stage-artifacts*0.5");
  return texts.map((text) => {
    const parsed = parseChange(text);
    if (!parsed.ok) throw new DeploysloError(code, `change: ${parsed.reason}`);
    return parsed.change;
  });
}

/** `deployslo simulate` and GET /api/v1/insight/simulation. */
export async function simulateWhatIf({
  input,
}: UseCaseCall<never, SimulateInput>): Promise<SimulationJson> {
  const changes = changesOf(input.changes, input.invalid);
  const { attempts, complete } = await insightAttempts(input.source, input.scope);
  const simulation = simulateChanges({
    attempts,
    changes,
    thresholdMs: input.thresholdMs,
    resamples: input.resamples,
    random: seededRandom(input.seed),
  });
  const check =
    input.holdoutFrom === undefined
      ? null
      : backtest({
          attempts,
          splitAt: input.holdoutFrom,
          thresholdMs: input.thresholdMs,
          resamples: input.resamples,
          random: seededRandom(input.seed + 1),
        });
  return {
    selector: selectorTerms(input.scope.selector),
    from: input.scope.from === undefined ? null : formatTimestamp(input.scope.from),
    to: input.scope.to === undefined ? null : formatTimestamp(input.scope.to),
    complete,
    changes: [...input.changes],
    seed: input.seed,
    ...simulation,
    backtest: check === null ? null : { ...check, splitAt: formatTimestamp(check.splitAt) },
  };
}
