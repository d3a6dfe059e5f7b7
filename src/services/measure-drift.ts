import type { EnvironmentDriftJson } from "../contract/environment-drift-schema.js";
import { environmentDrift } from "../core/analysis/environment-drift.js";
import { selectorTerms } from "../core/analysis/selector-terms.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { type InsightScope, type InsightSource, insightAttempts } from "./insight-attempts.js";
import type { UseCaseCall } from "./service-context.js";

/** Mismatched attempts listed in full; the rest are counted. */
export const MAX_LISTED_MISMATCHES = 50;

export interface DriftInput {
  readonly source: InsightSource;
  readonly scope: InsightScope;
  /** Attempts compared on each side of a fingerprint change. */
  readonly compare: number;
  readonly alpha: number;
}

/** `deployslo drift` and GET /api/v1/insight/drift: environment drift. */
export async function measureDrift({
  input,
}: UseCaseCall<never, DriftInput>): Promise<EnvironmentDriftJson> {
  const { attempts, complete } = await insightAttempts(input.source, input.scope);
  const result = environmentDrift({
    attempts,
    compare: input.compare,
    alpha: input.alpha,
    maxListed: MAX_LISTED_MISMATCHES,
  });
  const scopeFrom = input.scope.from;
  const scopeTo = input.scope.to;
  return {
    selector: selectorTerms(input.scope.selector),
    from: scopeFrom === undefined ? null : formatTimestamp(scopeFrom),
    to: scopeTo === undefined ? null : formatTimestamp(scopeTo),
    complete,
    attempts: result.attempts,
    fingerprints: result.fingerprints.map((g) => ({
      ...g,
      fingerprint: { ...g.fingerprint },
      models: [...g.models],
      environments: [...g.environments],
      first: formatTimestamp(g.first),
      last: formatTimestamp(g.last),
    })),
    mismatches: {
      ...result.mismatches,
      differences: [...result.mismatches.differences],
      attempts: result.mismatches.attempts.map((a) => ({
        ...a,
        startedAt: formatTimestamp(a.startedAt),
        differences: [...a.differences],
      })),
    },
    compare: result.compare,
    alpha: result.alpha,
    testThreshold: result.testThreshold,
    changes: result.changes.map((c) => ({
      ...c,
      at: formatTimestamp(c.at),
      from: { ...c.from },
      to: { ...c.to },
      changed: [...c.changed],
    })),
  };
}
