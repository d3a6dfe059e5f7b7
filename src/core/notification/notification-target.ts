export const TARGET_TYPES = ["webhook", "alertmanager", "slack", "pagerduty"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** A value read from an environment variable when the service starts, never written inline. */
export interface EnvReference {
  readonly env: string;
}

/** Where a target's URL comes from: written in the spec, or from the environment (Slack's is a secret). */
export type UrlSource = { readonly url: string } | EnvReference;

/** A `kind: NotificationTarget` document: where and how notifications are delivered. */
export interface NotificationTarget {
  readonly name: string;
  readonly type: TargetType;
  /** Absent for PagerDuty: its Events API v2 URL is the default. */
  readonly url: UrlSource | null;
  /** webhook: the HMAC-SHA256 key signing each body; null sends unsigned. */
  readonly secret: EnvReference | null;
  /** pagerduty: the Events API v2 integration (routing) key. */
  readonly routingKey: EnvReference | null;
  /** Added to every notification's labels on this target (the alert's own labels win). */
  readonly labels: Readonly<Record<string, string>>;
  /** How long one delivery attempt may take. */
  readonly timeoutMs: number;
  /** Base URL of this deployslo service, for links back (Alertmanager's generatorURL…). */
  readonly serviceUrl: string | null;
  readonly source: { readonly file: string; readonly line: number };
}

/** A target with its environment references read: what a notifier sends with. */
export interface ResolvedTarget {
  readonly name: string;
  readonly type: TargetType;
  readonly url: string;
  readonly secret: string | null;
  readonly routingKey: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly serviceUrl: string | null;
}

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
export const DEFAULT_TARGET_TIMEOUT_MS = 10_000;
export const MAX_TARGET_TIMEOUT_MS = 60_000;
