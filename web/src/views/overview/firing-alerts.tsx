import type { AlertJson } from "../../api-types.js";
import { when } from "../../format.js";
import { Link } from "../../navigation.js";

/** Where each firing alert's notification stands, per target: "ops delivered · pager pending". */
function deliveryText(alert: AlertJson): string {
  const deliveries = alert.notification?.deliveries ?? [];
  if (deliveries.length === 0) return "no notification target";
  return deliveries.map((d) => `${d.target} ${d.status}`).join(" · ");
}

export function FiringAlerts({ alerts }: { alerts: AlertJson[] }) {
  if (alerts.length === 0) {
    return <p className="muted">No alert is firing.</p>;
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">SLO</th>
            <th scope="col">Alert</th>
            <th scope="col">Firing since</th>
            <th scope="col">Notification</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr key={`${alert.slo}/${alert.alert}`} data-alert={`${alert.slo}/${alert.alert}`}>
              <td>
                <span
                  className={`pill ${alert.severity === "page" ? "pill-exhausted" : "pill-burning"}`}
                >
                  {alert.severity}
                </span>
              </td>
              <td>
                <Link to={{ page: { kind: "slo", name: alert.slo } }} className="slo-name">
                  {alert.slo}
                </Link>
                {alert.atRisk.length > 0 ? (
                  <div className="sub">puts at risk: {alert.atRisk.join(", ")}</div>
                ) : null}
              </td>
              <td>{alert.alert}</td>
              <td>{when(alert.startsAt ?? alert.since)}</td>
              <td className="muted">{deliveryText(alert)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
