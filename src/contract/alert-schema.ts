import { z } from "zod";
import { AlertPhaseSchema } from "./alert-phase-schema.js";
import { DeliveryStatusSchema } from "./delivery-status-schema.js";
import { SeveritySchema } from "./severity-schema.js";

const Time = z.string().meta({ description: "RFC 3339, UTC" });

/** One alert of one SLO, as last evaluated (GET /api/v1/alerts). */
export const AlertSchema = z
  .object({
    slo: z.string(),
    alert: z.string().meta({ description: "rule name, budget-forecast or baseline-drift" }),
    severity: SeveritySchema,
    state: AlertPhaseSchema,
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
            status: DeliveryStatusSchema,
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

export type AlertJson = z.output<typeof AlertSchema>;
