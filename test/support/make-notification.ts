import {
  type AlertNotification,
  type NotificationState,
  notificationKey,
} from "../../src/core/notification/alert-notification.js";
import { MINUTE, T0 } from "./make-attempt.js";

/** A notification of alert `fast-burn` on SLO `prod-deploys`, firing at T0, to target `ops`. */
export function makeNotification(
  overrides: Partial<AlertNotification> & { state?: NotificationState } = {},
): AlertNotification {
  const slo = overrides.slo ?? "prod-deploys";
  const alert = overrides.alert ?? "fast-burn";
  const state = overrides.state ?? "firing";
  const startsAt = overrides.startsAt ?? T0;
  const at = overrides.at ?? (state === "firing" ? startsAt : startsAt + 30 * MINUTE);
  return {
    key: notificationKey(slo, alert, startsAt, state),
    kind: "alert",
    slo,
    alert,
    severity: "page",
    state,
    at,
    startsAt,
    endsAt: state === "resolved" ? at : null,
    labels: { team: "ml-platform" },
    annotations: {
      summary: `${slo}: ${alert} ${state}`,
      runbook_url: "https://runbooks.example.com/deploy-latency",
    },
    targets: ["ops"],
    ...overrides,
  };
}
