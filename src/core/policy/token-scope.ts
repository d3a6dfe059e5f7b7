import type { Selector } from "../spec/slo.js";

/**
 * What a token may see and write: attempts whose model, environment and labels match. An
 * absent list allows any value; every listed label must match one of its values.
 */
export interface TokenScope {
  readonly models?: readonly string[];
  readonly environments?: readonly string[];
  readonly labels?: Readonly<Record<string, readonly string[]>>;
}

/** The fields of an attempt a scope looks at. */
export interface ScopedFields {
  readonly model: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Why an attempt is outside `scope`, or undefined when it is inside. */
export function outOfScope(scope: TokenScope, attempt: ScopedFields): string | undefined {
  if (scope.models !== undefined && !scope.models.includes(attempt.model)) {
    return `model "${attempt.model}" is not one of ${scope.models.join(", ")}`;
  }
  if (scope.environments !== undefined && !scope.environments.includes(attempt.environment)) {
    return `environment "${attempt.environment}" is not one of ${scope.environments.join(", ")}`;
  }
  for (const [name, values] of Object.entries(scope.labels ?? {})) {
    const value = attempt.labels[name];
    if (value === undefined || !values.includes(value)) {
      return `label ${name} is ${value === undefined ? "absent" : `"${value}"`}; the token allows ${values.join(", ")}`;
    }
  }
  return undefined;
}

const GLOB = /[*?]/;

/** Whether a selector value is one literal value the scope's list allows (absent list: any). */
function literalWithin(value: string | null, allowed: readonly string[] | undefined): boolean {
  if (allowed === undefined) return true;
  return value !== null && !GLOB.test(value) && allowed.includes(value);
}

/**
 * Whether every attempt an SLO's selector can take in is inside `scope`: then the SLO's numbers
 * are made of the scope's attempts only. A selector value the scope does not pin down (absent,
 * or a glob, which can match values outside the scope's lists) makes the SLO wider than the
 * scope.
 */
export function selectorWithinScope(selector: Selector, scope: TokenScope): boolean {
  if (!literalWithin(selector.model, scope.models)) return false;
  if (!literalWithin(selector.environment, scope.environments)) return false;
  for (const [name, values] of Object.entries(scope.labels ?? {})) {
    if (!literalWithin(selector.labels[name] ?? null, values)) return false;
  }
  return true;
}
