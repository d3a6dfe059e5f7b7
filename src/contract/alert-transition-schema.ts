import { z } from "zod";
import { SeveritySchema } from "./severity-schema.js";

const Time = z.string().meta({ description: "RFC 3339, UTC" });

export const AlertTransitionSchema = z
  .object({
    slo: z.string(),
    alert: z.string(),
    severity: SeveritySchema,
    state: z.enum(["pending", "firing", "resolved"]),
    at: Time,
    startsAt: Time.nullable(),
    reason: z.enum(["condition", "removed"]).meta({
      description: "`removed`: resolved because its SLO or rule left the configuration",
    }),
  })
  .meta({ id: "AlertTransition", description: "One change of an alert's state" });

export type AlertTransitionJson = z.output<typeof AlertTransitionSchema>;
