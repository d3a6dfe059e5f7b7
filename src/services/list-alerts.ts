import type { AlertRecord, AlertTransitionRecord } from "../core/alerting/alert-record.js";
import { notificationKey } from "../core/notification/alert-notification.js";
import type { NotificationDelivery } from "../core/notification/notification-delivery.js";
import type { AlertFilter } from "../store/store.js";
import { maySeeNotification, type ReadScope, visibleSloNames } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/** Deliveries looked at to show each alert's last notification (newest first). */
const DELIVERIES_LOOKED_AT = 1000;

export interface ListedAlert {
  readonly alert: AlertRecord;
  /**
   * Its last notification (the firing one while firing, else the resolve) and that
   * notification's deliveries by target; null when it never fired.
   */
  readonly lastNotification: {
    readonly key: string;
    readonly deliveries: readonly NotificationDelivery[];
  } | null;
}

export interface AlertListing {
  readonly alerts: readonly ListedAlert[];
  readonly transitions: readonly AlertTransitionRecord[];
}

/** The key of the last notification an alert's current state implies, if any. */
function lastKey(alert: AlertRecord): string | null {
  if (alert.startsAt === null) return null;
  const state = alert.state === "firing" ? "firing" : "resolved";
  return notificationKey(alert.slo, alert.alert, alert.startsAt, state);
}

/**
 * GET /api/v1/alerts: every alert's persisted state with how its last notification is being
 * delivered, and the recent transitions (newest first, at most `transitionsLimit`), of the SLOs
 * the reader may see; the deployment SLOs an alert puts at risk are named only when visible.
 */
export async function listAlerts({
  ctx: { store, engine },
  input: { filter: asked, transitionsLimit, scope },
}: UseCaseCall<
  "store" | "engine",
  { readonly filter: AlertFilter; readonly transitionsLimit: number; readonly scope: ReadScope }
>): Promise<AlertListing> {
  const visible = visibleSloNames(scope, engine.slos);
  const bySlo: Pick<AlertFilter, "slo" | "slos"> = {
    ...(asked.slo === undefined ? {} : { slo: asked.slo }),
    ...(scope === undefined ? {} : { slos: engine.slos.map((s) => s.name).filter(visible) }),
  };
  const filter: AlertFilter = { ...asked, ...bySlo };
  const states = (await store.listAlertStates(filter)).map((alert) =>
    scope === undefined ? alert : { ...alert, atRisk: alert.atRisk.filter(visible) },
  );
  const transitions = await store.listAlertTransitions(bySlo, transitionsLimit);
  const byKey = new Map<string, NotificationDelivery[]>();
  if (states.some((alert) => alert.startsAt !== null)) {
    const deliveries = await store.listNotificationDeliveries(bySlo, DELIVERIES_LOOKED_AT);
    for (const delivery of deliveries) {
      if (scope !== undefined && !maySeeNotification(visible, delivery.notification)) continue;
      const list = byKey.get(delivery.notification.key) ?? [];
      list.push(delivery);
      byKey.set(delivery.notification.key, list);
    }
  }
  return {
    alerts: states.map((alert) => {
      const key = lastKey(alert);
      if (key === null) return { alert, lastNotification: null };
      const deliveries = [...(byKey.get(key) ?? [])].sort((a, b) => (a.target < b.target ? -1 : 1));
      return { alert, lastNotification: { key, deliveries } };
    }),
    transitions,
  };
}
