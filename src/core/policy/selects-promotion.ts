import { globToRegExp } from "../primitives/glob.js";
import type { Selector } from "../spec/slo.js";
import type { GateRequest } from "./approval.js";

/**
 * Whether an SLO's selector takes in the promotion: environment and model must match. A label
 * the SLO selects on must match when the request gives it; a label the request does not give
 * does not exclude the SLO, so leaving labels out can never slip a promotion past a freeze.
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
    if (value !== undefined && !globToRegExp(pattern).test(value)) return false;
  }
  return true;
}
