import type { InProgressAttempt, Overview } from "../contract/overview-schema.js";
import type { Attempt } from "../core/attempt/attempt.js";
import type { Series } from "../core/evaluation/attempt-tables.js";
import { earliestInProgressStart } from "../core/evaluation/earliest-in-progress.js";
import { type ScopeFilter, scopeValues, sloInScope } from "../core/evaluation/scope-filter.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { sloState } from "../core/evaluation/slo-state.js";
import { staleInProgress } from "../core/evaluation/stale-in-progress.js";
import { inProgressTimeout } from "../core/evaluation/timed-out-attempt.js";
import { sloPolicyState } from "../core/policy/slo-policy-state.js";
import { outOfScope } from "../core/policy/token-scope.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { Store } from "../store/store.js";
import { maySeeSlo, type ReadScope } from "./read-scope.js";
import { MAX_SCANNED, scanAttempts } from "./scan-attempts.js";
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

/**
 * The newest attempts in progress (at most MAX_IN_PROGRESS) among those the reader may see,
 * and whether there were more; none when nothing has been in progress since `openSince`.
 */
async function attemptsInProgress(
  store: Store,
  narrowed: { readonly model?: string; readonly environment?: string },
  openSince: number | null,
  scope: ReadScope,
): Promise<{ readonly attempts: readonly Attempt[]; readonly truncated: boolean }> {
  // Bounded by the oldest attempt still running, the store reads recent rows, not all history.
  if (openSince === null) return { attempts: [], truncated: false };
  const filter = { outcome: "in_progress" as const, from: openSince, ...narrowed };
  if (scope === undefined) {
    const page = await store.listAttempts(filter, { limit: MAX_IN_PROGRESS });
    return { attempts: page.attempts, truncated: page.nextCursor !== null };
  }
  const scan = await scanAttempts(store, { ...filter, readable: scope }, MAX_IN_PROGRESS);
  return { attempts: scan.attempts, truncated: !scan.complete };
}

/** The newest attempt started by `at` that the reader may see, if any. */
async function newestAttempt(
  store: Store,
  narrowed: { readonly model?: string; readonly environment?: string },
  at: number,
  scope: ReadScope,
): Promise<Attempt | undefined> {
  if (scope === undefined) {
    return (await store.listAttempts({ ...narrowed, to: at + 1 }, { limit: 1 })).attempts[0];
  }
  return (await scanAttempts(store, { ...narrowed, to: at + 1, readable: scope }, 1)).attempts[0];
}

/**
 * The models and environments of the attempts the reader may see, for filter menus. A series
 * shows the labels all its attempts share only for the labels it is told apart by; when the
 * scope names another label, they come from the newest MAX_SCANNED attempts in scope instead
 * (older ones may then be missing from the menus; nothing outside the scope is ever listed).
 */
async function valuesInScope(
  store: Store,
  series: readonly Series[],
  exact: boolean,
  scope: ReadScope,
): Promise<ReturnType<typeof scopeValues>> {
  if (scope === undefined) return scopeValues(series);
  if (exact) return scopeValues(series.filter((s) => outOfScope(scope, s) === undefined));
  const { attempts } = await scanAttempts(store, { readable: scope }, MAX_SCANNED);
  return scopeValues(attempts);
}

/**
 * Everything the overview shows as of `at`, for the SLOs in the filtered scope, over what the
 * reader may see: its SLOs, the models and environments of its attempts, its attempts in
 * progress.
 */
export async function getOverview({
  ctx: { engine, store },
  input: { at, filter, scope },
}: UseCaseCall<
  "engine" | "store",
  { readonly at: number; readonly filter: ScopeFilter; readonly scope: ReadScope }
>): Promise<Overview> {
  const result = await engine.status(at);
  const { slos, series, exact, openSince } = await engine.read(
    (all, tables) => ({
      slos: all,
      series: tables.liveSeries(),
      exact: Object.keys(scope?.labels ?? {}).every((name) => tables.distinguishes(name)),
      openSince: earliestInProgressStart(tables),
    }),
    at,
  );
  const values = await valuesInScope(store, series, exact, scope);
  const byName = new Map(slos.map((slo) => [slo.name, slo]));
  const listed = result.slos.flatMap((status) => {
    const slo = byName.get(status.name);
    if (slo === undefined || !sloInScope(slo, filter) || !maySeeSlo(scope, slo)) return [];
    return [
      {
        ...status,
        state: sloState(status),
        selector: slo.selector,
        policy: sloPolicyState(slo, status),
      },
    ];
  });

  const narrowed = {
    ...(filter.model === null ? {} : { model: filter.model }),
    ...(filter.environment === null ? {} : { environment: filter.environment }),
  };
  const page = await attemptsInProgress(store, narrowed, openSince, scope);
  // An attempt's threshold and SLO names come from the SLOs the reader may see; its timeout
  // and staleness are facts about the attempt itself, from every SLO that selects it.
  const deploymentSlos = slos
    .filter((slo) => slo.indicator.kind === "deployment" && maySeeSlo(scope, slo))
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
  const newest = await newestAttempt(store, narrowed, at, scope);
  return {
    at: result.at,
    models: values.models,
    environments: values.environments,
    slos: listed,
    inProgress,
    inProgressTruncated: page.truncated,
    sample: newest?.attributes.sample === true,
  };
}
