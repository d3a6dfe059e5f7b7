import type { Attempt } from "../core/attempt/attempt.js";
import type { GateRequest } from "../core/policy/approval.js";
import { decideGate } from "../core/policy/decide-gate.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
import { withHistoryLabels } from "../core/policy/selects-promotion.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { evaluateSloFiles } from "./evaluate-slo-files.js";

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
export async function gateFiles(
  input: GateFilesInput,
): Promise<{ readonly decision: GateDecision; readonly warnings: readonly Diagnostic[] }> {
  let latest: Attempt | undefined;
  const observe = (attempt: Attempt) => {
    if (attempt.model !== input.request.model) return;
    if (attempt.environment !== input.request.environment) return;
    if (attempt.startedAt > input.at) return;
    if (latest === undefined || attempt.startedAt >= latest.startedAt) latest = attempt;
  };
  const evaluated = await evaluateSloFiles({
    observe,
    configFiles: input.configFiles,
    deploymentFiles: input.deploymentFiles,
    at: input.at,
    skipInvalid: input.skipInvalid,
  });
  const gated = evaluated.slos.flatMap((slo, i) => {
    const status = evaluated.result.slos[i];
    return status === undefined ? [] : [{ slo, status }];
  });
  const request = withHistoryLabels(input.request, latest?.labels);
  return { decision: decideGate(request, gated, [], input.at), warnings: evaluated.warnings };
}
