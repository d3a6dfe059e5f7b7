import type {
  ResolvedTarget,
  TargetType,
} from "../../src/core/notification/notification-target.js";

export function makeTarget(
  type: TargetType,
  url: string,
  overrides: Partial<ResolvedTarget> = {},
): ResolvedTarget {
  return {
    name: type,
    type,
    url,
    secret: null,
    routingKey: null,
    labels: {},
    timeoutMs: 2_000,
    serviceUrl: null,
    ...overrides,
  };
}
