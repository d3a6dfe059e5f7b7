import { z } from "zod";

/** An alert's state as the evaluator saves it. */
export const AlertPhaseSchema = z.enum(["inactive", "pending", "firing", "resolved"]);

export type AlertPhase = z.output<typeof AlertPhaseSchema>;
