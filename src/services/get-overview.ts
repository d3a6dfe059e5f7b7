import type { Attempt } from "../core/attempt/attempt.js";
import { earliestInProgressStart } from "../core/evaluation/earliest-in-progress.js";
import type { SloStatus } from "../core/evaluation/evaluation-result.js";
import { type ScopeFilter, scopeValues, sloInScope } from "../core/evaluation/scope-filter.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { type SloState, sloState } from "../core/evaluation/slo-state.js";
import { staleInProgress } from "../core/evaluation/stale-in-progress.js";
import { inProgressTimeout } from "../core/evaluation/timed-out-attempt.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { Selector } from "../core/spec/slo.js";
import type { Store } from "../store/store.js";
import type { SloEngine } from "./slo-engine.js";

const MAX_IN_PROGRESS = 200;

export interface InProgressAttempt {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  /** The tightest threshold among the deployment SLOs that select it; null when none does. */
  readonly thresholdSeconds: number | null;
  readonly slos: readonly string[];
  /** The stage running now (the last started one without an end), if the record has stages. */
  readonly currentStage: string | null;
  /** When it is recorded as timed_out unless its end is recorded first. */
  readonly timeoutAt: string;
  /** In progress past its threshold and half its timeout: did its pipeline stop? */
  readonly stale: boolean;
}

export interface Overview {
  readonly at: string;
  readonly models: readonly string[];
  readonly environments: readonly string[];
  readonly slos: readonly (SloStatus & { readonly state: SloState; readonly selector: Selector })[];
  readonly inProgress: readonly InProgressAttempt[];
  /** True when more attempts are in progress than listed. */
  readonly inProgressTruncated: boolean;
  /** True when the newest attempt in scope is generated sample data (attribute `sample: true`). */
  readonly sample: boolean;
}

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
export async function getOverview(
  engine: SloEngine,
  store: Store,
  at: number,
  filter: ScopeFilter,
): Promise<Overview> {
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
    return [{ ...status, state: sloState(status), selector: slo.selector }];
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
