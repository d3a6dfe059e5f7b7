import type { Attempt } from "../core/attempt/attempt.js";
import type { Approval } from "../core/policy/approval.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { outOfScope, selectorWithinScope, type TokenScope } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Slo } from "../core/spec/slo.js";
import type { SloEngine } from "./slo-engine.js";

/**
 * What a reader may see (docs/api.md, "What a scoped token sees"): a token's scope, or
 * undefined for everything (an unscoped token, an open server, the CLI on its own store).
 */
export type ReadScope = TokenScope | undefined;

/** Whether the reader may see this attempt. */
export function mayReadAttempt(scope: ReadScope, attempt: Attempt): boolean {
  return scope === undefined || outOfScope(scope, attempt) === undefined;
}

/**
 * Whether the reader may see this SLO: only when every attempt its selector can take in is in
 * scope. A wider SLO's numbers include attempts of others, and the same SLO computed over the
 * scope's attempts alone would not be the SLO that alerts and gates, so it is not shown at all.
 */
export function maySeeSlo(scope: ReadScope, slo: Slo): boolean {
  return scope === undefined || selectorWithinScope(slo.selector, scope);
}

/** The names of the SLOs the reader may see, as a predicate. */
export function visibleSloNames(scope: ReadScope, slos: readonly Slo[]): (name: string) => boolean {
  if (scope === undefined) return () => true;
  const names = new Set(slos.filter((slo) => maySeeSlo(scope, slo)).map((slo) => slo.name));
  return (name) => names.has(name);
}

/** The SLO named `name` if the reader may see it; NOT_FOUND otherwise, as for no such SLO. */
export function visibleSlo(engine: Pick<SloEngine, "find">, name: string, scope: ReadScope): Slo {
  const slo = engine.find(name);
  if (slo === undefined || !maySeeSlo(scope, slo)) {
    throw new DeploysloError("NOT_FOUND", `no SLO named "${name}"`);
  }
  return slo;
}

/**
 * Whether the reader may see an approval. An approval names a model and an environment but no
 * labels, so a scope that requires labels cannot show it is its own (as for granting one).
 */
export function maySeeApproval(
  scope: ReadScope,
  approval: Pick<Approval, "model" | "environment">,
): boolean {
  return scope === undefined || outOfScope(scope, { ...approval, labels: {} }) === undefined;
}

function stringLabels(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

/**
 * Whether the reader may see an audit entry: its promotion (model, environment and the labels
 * the gate judged it with) must be in scope. Approvals carry no labels (see maySeeApproval).
 */
export function maySeeAuditEntry(scope: ReadScope, entry: AuditEntry): boolean {
  if (scope === undefined) return true;
  const labels = stringLabels(entry.detail.labels);
  return (
    outOfScope(scope, { model: entry.model, environment: entry.environment, labels }) === undefined
  );
}

/**
 * Whether every SLO a notification names (its own, and those grouped into its incident, the
 * first of which opened it and names its key) is one the reader may see. A notification of an
 * incident that also holds hidden SLOs is not shown: its names and key would reveal them.
 */
export function maySeeNotification(
  visible: (slo: string) => boolean,
  notification: { readonly slo: string; readonly slos?: readonly string[] },
): boolean {
  return visible(notification.slo) && (notification.slos ?? []).every(visible);
}
