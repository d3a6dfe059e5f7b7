import { z } from "zod";
import { MAX_NAME } from "./wire-limits.js";

const Name = z.string().min(1).max(MAX_NAME);

/** POST /api/v1/approvals: an approval to grant. */
export const ApprovalRequestSchema = z.object({
  model: Name,
  environment: Name,
  version: Name.optional(),
  reason: z.string().trim().min(1).max(2000).meta({ description: "why it is safe to ship" }),
  validFor: z
    .string()
    .default("4h")
    .meta({ description: "how long the approval counts, at most 7d; default 4h" }),
});

export type ApprovalRequest = z.input<typeof ApprovalRequestSchema>;
