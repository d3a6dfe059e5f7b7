import type { Slo } from "../spec/slo.js";

/**
 * Why an SLO cannot scope an insight, or null when it can: insight measures whole deployments
 * (startedAt → servingAt), so a stage or dependency SLO's threshold means something else.
 */
export function notDeploymentReason(slo: Slo): string | null {
  const { indicator } = slo;
  if (indicator.kind === "deployment") return null;
  const what =
    indicator.kind === "stage"
      ? `the stage ${indicator.stage}`
      : indicator.kind === "span"
        ? "the deployment from or to another point than the promote request and the first inference"
        : `the dependency ${indicator.dependency}`;
  return `SLO "${slo.name}" measures ${what}; insight works on whole deployments: use a deployment SLO or a selector`;
}
