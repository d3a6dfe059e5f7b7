import { globToRegExp } from "../primitives/glob.js";
import type { Selector } from "../spec/slo.js";
import type { GateRequest } from "./approval.js";

/**
 * Whether an SLO's selector takes in the promotion, as it would take in the attempt the
 * promotion makes: environment, model and every label it selects on must match. The request's
 * labels default to those of the model's latest attempt (withHistoryLabels), so leaving them
 * out does not slip a promotion past its team's SLOs.
 */
export function selectsPromotion(selector: Selector, request: GateRequest): boolean {
  if (
    selector.environment !== null &&
    !globToRegExp(selector.environment).test(request.environment)
  )
    return false;
  if (selector.model !== null && !globToRegExp(selector.model).test(request.model)) return false;
  for (const [key, pattern] of Object.entries(selector.labels)) {
    const value = request.labels[key];
    if (value === undefined || !globToRegExp(pattern).test(value)) return false;
  }
  return true;
}

/**
 * The request with the labels of the model's latest attempt in the environment added under
 * its own: a pipeline that names only model and environment is judged by the SLOs its attempts
 * count towards.
 */
export function withHistoryLabels(
  request: GateRequest,
  latest: Readonly<Record<string, string>> | undefined,
): GateRequest {
  if (latest === undefined) return request;
  return { ...request, labels: { ...latest, ...request.labels } };
}
