export const TARGET_TYPES = ["webhook", "alertmanager", "slack", "pagerduty"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** A value read from an environment variable when the service starts, never written inline. */
export interface EnvReference {
  readonly env: string;
}

/** Where a target's URL comes from: written in the spec, or from the environment (Slack's is a secret). */
export type UrlSource = { readonly url: string } | EnvReference;

/** What every `kind: NotificationTarget` document has, whatever its type. */
interface TargetCommon {
  readonly name: string;
  /** Added to every notification's labels on this target (the alert's own labels win). */
  readonly labels: Readonly<Record<string, string>>;
  /** How long one delivery attempt may take. */
  readonly timeoutMs: number;
  /** Base URL of this deployslo service, for links back (Alertmanager's generatorURL…). */
  readonly serviceUrl: string | null;
  readonly source: { readonly file: string; readonly line: number };
}

export interface WebhookTarget extends TargetCommon {
  readonly type: "webhook";
  readonly url: UrlSource;
  /** The HMAC-SHA256 key signing each body; null sends unsigned. */
  readonly secret: EnvReference | null;
}

export interface AlertmanagerTarget extends TargetCommon {
  readonly type: "alertmanager";
  readonly url: UrlSource;
}

export interface SlackTarget extends TargetCommon {
  readonly type: "slack";
  readonly url: UrlSource;
}

export interface PagerDutyTarget extends TargetCommon {
  readonly type: "pagerduty";
  /** Null: the Events API v2 URL. */
  readonly url: UrlSource | null;
  /** The Events API v2 integration (routing) key. */
  readonly routingKey: EnvReference;
}

/** A `kind: NotificationTarget` document: where and how notifications are delivered, by type. */
export type NotificationTarget = WebhookTarget | AlertmanagerTarget | SlackTarget | PagerDutyTarget;

/** The target as a notifier sends with it: every environment reference read, every URL known. */
type Resolved<T extends NotificationTarget> = Omit<
  T,
  "source" | "url" | "secret" | "routingKey"
> & {
  readonly url: string;
};

export type ResolvedWebhookTarget = Resolved<WebhookTarget> & { readonly secret: string | null };
export type ResolvedAlertmanagerTarget = Resolved<AlertmanagerTarget>;
export type ResolvedSlackTarget = Resolved<SlackTarget>;
export type ResolvedPagerDutyTarget = Resolved<PagerDutyTarget> & { readonly routingKey: string };

/** A target with its environment references read: what a notifier sends with. */
export type ResolvedTarget =
  | ResolvedWebhookTarget
  | ResolvedAlertmanagerTarget
  | ResolvedSlackTarget
  | ResolvedPagerDutyTarget;

/** The resolved target of one type, for the notifier of that type. */
export type ResolvedTargetOf<T extends TargetType> = Extract<ResolvedTarget, { type: T }>;

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
export const DEFAULT_TARGET_TIMEOUT_MS = 10_000;
export const MAX_TARGET_TIMEOUT_MS = 60_000;
