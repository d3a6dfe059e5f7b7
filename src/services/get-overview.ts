import type { InProgressAttempt, Overview } from "../contract/overview-schema.js";
import type { Attempt } from "../core/attempt/attempt.js";
import { earliestInProgressStart } from "../core/evaluation/earliest-in-progress.js";
import { type ScopeFilter, scopeValues, sloInScope } from "../core/evaluation/scope-filter.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { sloState } from "../core/evaluation/slo-state.js";
import { staleInProgress } from "../core/evaluation/stale-in-progress.js";
import { inProgressTimeout } from "../core/evaluation/timed-out-attempt.js";
import { sloPolicyState } from "../core/policy/slo-policy-state.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { UseCaseCall } from "./service-context.js";

const MAX_IN_PROGRESS = 200;

export type { InProgressAttempt, Overview };

function currentStage(attempt: Attempt): string | null {
  let running: string | null = null;
  let latest = Number.NEGATIVE_INFINITY;
  for (const stage of attempt.stages) {
    if (stage.endedAt === null && stage.startedAt >= latest) {
      running = stage.name;
      latest = stage.startedAt;
    }
  }
  return running;
}

/** Everything the overview shows as of `at`, for the SLOs in the filtered scope. */
export async function getOverview({
  ctx: { engine, store },
  input: { at, filter },
}: UseCaseCall<
  "engine" | "store",
  { readonly at: number; readonly filter: ScopeFilter }
>): Promise<Overview> {
  const result = await engine.status(at);
  const { slos, values, openSince } = await engine.read((all, tables) => ({
    slos: all,
    values: scopeValues(tables.liveSeries()),
    openSince: earliestInProgressStart(tables),
  }));
  const byName = new Map(slos.map((slo) => [slo.name, slo]));
  const listed = result.slos.flatMap((status) => {
    const slo = byName.get(status.name);
    if (slo === undefined || !sloInScope(slo, filter)) return [];
    return [
      {
        ...status,
        state: sloState(status),
        selector: slo.selector,
        policy: sloPolicyState(slo, status),
      },
    ];
  });

  const scope = {
    ...(filter.model === null ? {} : { model: filter.model }),
    ...(filter.environment === null ? {} : { environment: filter.environment }),
  };
  // Bounded by the oldest attempt still running, the store reads recent rows, not all history.
  const page =
    openSince === null
      ? { attempts: [], nextCursor: null }
      : await store.listAttempts(
          {
            outcome: "in_progress",
            from: openSince,
            ...scope,
          },
          { limit: MAX_IN_PROGRESS },
        );
  const deploymentSlos = slos
    .filter((slo) => slo.indicator.kind === "deployment")
    .map((slo) => ({ slo, matches: selectorMatcher(slo.selector) }));
  const inProgress = page.attempts
    .filter((attempt) => attempt.startedAt <= at)
    .map((attempt): InProgressAttempt => {
      const matching = deploymentSlos.filter(({ matches }) => matches(attempt));
      const thresholds = matching.map(({ slo }) => slo.objective.thresholdMs);
      return {
        id: attempt.id,
        model: attempt.model,
        version: attempt.version,
        environment: attempt.environment,
        startedAt: formatTimestamp(attempt.startedAt),
        elapsedSeconds: (at - attempt.startedAt) / 1000,
        thresholdSeconds: thresholds.length === 0 ? null : Math.min(...thresholds) / 1000,
        slos: matching.map(({ slo }) => slo.name),
        currentStage: currentStage(attempt),
        timeoutAt: formatTimestamp(attempt.startedAt + inProgressTimeout(attempt, slos).ms),
        stale: staleInProgress(attempt, slos, at) !== undefined,
      };
    });
  const newest = await store.listAttempts({ ...scope, to: at + 1 }, { limit: 1 });
  return {
    at: result.at,
    models: values.models,
    environments: values.environments,
    slos: listed,
    inProgress,
    inProgressTruncated: page.nextCursor !== null,
    sample: newest.attempts[0]?.attributes.sample === true,
  };
}
