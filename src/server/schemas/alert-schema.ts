import { z } from "zod";
import type { alertToJson, alertTransitionToJson } from "../../core/alerting/alert-json.js";
import { DELIVERY_STATUSES } from "../../core/notification/notification-delivery.js";

const Time = z.string().meta({ description: "RFC 3339, UTC" });
const Severity = z.enum(["page", "ticket"]);

export const ALERT_PHASES = ["inactive", "pending", "firing", "resolved"] as const;

export const AlertSchema = z
  .object({
    slo: z.string(),
    alert: z.string().meta({ description: "rule name, budget-forecast or baseline-drift" }),
    severity: Severity,
    state: z.enum(ALERT_PHASES),
    since: Time.meta({ description: "when it entered `state`" }),
    activeAt: Time.nullable().meta({
      description: "when the condition began holding (pending or firing); null otherwise",
    }),
    startsAt: Time.nullable().meta({
      description: "when the current or last episode began firing; null if it never fired",
    }),
    evaluatedAt: Time.meta({ description: "the last evaluation that looked at it" }),
    atRisk: z
      .array(z.string())
      .meta({ description: "dependency SLOs: the deployment SLOs this alert puts at risk" }),
    notification: z
      .object({
        key: z.string(),
        deliveries: z.array(
          z.object({
            target: z.string(),
            status: z.enum(DELIVERY_STATUSES),
            attempts: z.number().int(),
            lastError: z.string().nullable(),
            deliveredAt: Time.nullable(),
          }),
        ),
      })
      .nullable()
      .meta({
        description:
          "its last notification (firing while firing, else the resolve) and how each target's delivery went; null if it never fired",
      }),
  })
  .meta({ id: "Alert", description: "One alert of one SLO, as last evaluated" });

export const AlertTransitionSchema = z
  .object({
    slo: z.string(),
    alert: z.string(),
    severity: Severity,
    state: z.enum(["pending", "firing", "resolved"]),
    at: Time,
    startsAt: Time.nullable(),
    reason: z.enum(["condition", "removed"]).meta({
      description: "`removed`: resolved because its SLO or rule left the configuration",
    }),
  })
  .meta({ id: "AlertTransition", description: "One change of an alert's state" });

// The core's JSON writers produce what the schemas describe.
const _alertFits: (json: ReturnType<typeof alertToJson>) => z.input<typeof AlertSchema> = (json) =>
  json;
const _transitionFits: (
  json: ReturnType<typeof alertTransitionToJson>,
) => z.input<typeof AlertTransitionSchema> = (json) => json;
