/** Severity of an alert rule: a page wakes someone up, a ticket waits for working hours. */
export type AlertSeverity = "page" | "ticket";
/** The two alert transitions that are notified. */
export type NotificationState = "firing" | "resolved";

/**
 * One alert transition to deliver to each of `targets`. Built by the alert evaluator, stored in
 * the outbox (one delivery per target) and turned into a payload by each notifier.
 */
export interface AlertNotification {
  /** Stable id of this transition (`${slo}/${alert}/${startsAt}/${state}`): the dedupe key. */
  readonly key: string;
  readonly slo: string;
  /** The alert rule's name. */
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: NotificationState;
  /** Epoch ms of the transition. */
  readonly at: number;
  /** Epoch ms the alert began firing; with slo and alert it names one alert episode. */
  readonly startsAt: number;
  /** Epoch ms it resolved; null while firing. */
  readonly endsAt: number | null;
  readonly labels: Readonly<Record<string, string>>;
  /** summary, description, runbook_url… */
  readonly annotations: Readonly<Record<string, string>>;
  /** NotificationTarget names. */
  readonly targets: readonly string[];
  /**
   * The incident this notification belongs to: the same for its firing and its resolve, and
   * for every SLO grouped into it (receivers deduplicate on it). Absent on notifications
   * enqueued before incidents existed.
   */
  readonly incident?: string;
  /** The SLOs grouped into the incident, the one that opened it first. */
  readonly slos?: readonly string[];
}

/** The key of the incident `slo` opened by paging at `startsAt`. */
export function incidentKey(slo: string, startsAt: number): string {
  return `${slo}/${startsAt}`;
}

/** The dedupe key of a transition, as the evaluator should build it. */
export function notificationKey(
  slo: string,
  alert: string,
  startsAt: number,
  state: NotificationState,
): string {
  return `${slo}/${alert}/${startsAt}/${state}`;
}
