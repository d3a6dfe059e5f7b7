import { z } from "zod";
import { MAX_NAME, MAX_VALUE } from "./wire-limits.js";

export const LabelsSchema = z
  .record(z.string().min(1).max(MAX_NAME), z.string().max(MAX_VALUE))
  .meta({
    description: "matched by SLO selectors (team, region, …)",
    examples: [{ team: "risk" }],
  });

export type Labels = z.output<typeof LabelsSchema>;
