import { z } from "zod";

/** What the deployment gate decides for a promotion. */
export const GateDecisionSchema = z.enum(["allow", "deny", "approval_required"]);

export type GateDecisionKind = z.output<typeof GateDecisionSchema>;
