import { MAX_SIMILAR } from "../core/analysis/preflight-estimate.js";
import type { Attempt } from "../core/attempt/attempt.js";
import type { GateRequest } from "../core/policy/approval.js";
import { decideGate } from "../core/policy/decide-gate.js";
import { estimateGate, withEstimate } from "../core/policy/estimate-gate.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
import { withHistoryLabels } from "../core/policy/selects-promotion.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { evaluateSloFiles } from "./evaluate-slo-files.js";
import type { UseCaseCall } from "./service-context.js";

export interface GateFilesInput {
  readonly configFiles: readonly string[];
  readonly deploymentFiles: readonly string[];
  readonly request: GateRequest;
  /** Epoch ms. */
  readonly at: number;
  readonly skipInvalid: boolean;
}

/**
 * The offline gate: the same decision as the service's, over SLO specs and history files as
 * of `at`. It has no store, so no approval can count and nothing is written to an audit log.
 */
export async function gateFiles({ input }: UseCaseCall<never, GateFilesInput>): Promise<{
  readonly decision: GateDecision;
  readonly warnings: readonly Diagnostic[];
}> {
  // The most recent attempts of the model and of the environment, for the estimate: kept
  // bounded while a history of any length streams past.
  const own = new RecentAttempts(MAX_SIMILAR + 50);
  const environment = new RecentAttempts(MAX_SIMILAR + 50);
  const observe = (attempt: Attempt) => {
    if (attempt.environment !== input.request.environment) return;
    if (attempt.startedAt > input.at) return;
    environment.add(attempt);
    if (attempt.model === input.request.model) own.add(attempt);
  };
  const evaluated = await evaluateSloFiles({
    ctx: {},
    input: {
      observe,
      configFiles: input.configFiles,
      deploymentFiles: input.deploymentFiles,
      at: input.at,
      skipInvalid: input.skipInvalid,
    },
  });
  const gated = evaluated.slos.flatMap((slo, i) => {
    const status = evaluated.result.slos[i];
    return status === undefined ? [] : [{ slo, status }];
  });
  const ownList = own.newestFirst();
  const ids = new Set(ownList.map((a) => a.id));
  const history = [...ownList, ...environment.newestFirst().filter((a) => !ids.has(a.id))].sort(
    (a, b) => b.startedAt - a.startedAt,
  );
  const request = withHistoryLabels(input.request, ownList[0]?.labels);
  const slos = gated.map((g) => g.slo);
  const decision = withEstimate(
    decideGate(request, gated, [], input.at),
    estimateGate(history, request, slos, input.at),
    slos,
    request,
    [],
    input.at,
  );
  return { decision, warnings: evaluated.warnings };
}

/** The `limit` latest-started attempts added, in bounded memory. */
class RecentAttempts {
  readonly #limit: number;
  #list: Attempt[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(attempt: Attempt): void {
    this.#list.push(attempt);
    if (this.#list.length >= this.#limit * 2) this.#list = this.newestFirst();
  }

  newestFirst(): Attempt[] {
    return this.#list.sort((a, b) => b.startedAt - a.startedAt).slice(0, this.#limit);
  }
}
