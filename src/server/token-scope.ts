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
