import type {
  ResolvedTarget,
  ResolvedTargetOf,
  TargetType,
} from "../../src/core/notification/notification-target.js";

/** What each type of target needs beyond the common fields, with test defaults. */
const OWN_FIELDS: { readonly [T in TargetType]: Partial<ResolvedTargetOf<T>> } = {
  webhook: { secret: null },
  alertmanager: {},
  slack: {},
  pagerduty: { routingKey: "R0UT1NGKEY" },
};

export function makeTarget<T extends TargetType>(
  type: T,
  url: string,
  overrides: Partial<ResolvedTargetOf<T>> = {},
): ResolvedTargetOf<T> {
  const target = {
    name: type,
    type,
    url,
    labels: {},
    timeoutMs: 2_000,
    serviceUrl: null,
    ...OWN_FIELDS[type],
    ...overrides,
  };
  return target as ResolvedTarget as ResolvedTargetOf<T>;
}
