import { z } from "zod";
import { storedText } from "./stored-text.js";
import { MAX_NAME } from "./wire-limits.js";

const Name = storedText(1, MAX_NAME);

/** POST /api/v1/approvals: an approval to grant. */
export const ApprovalRequestSchema = z.object({
  model: Name,
  environment: Name,
  version: Name.optional(),
  reason: storedText(1, 2000)
    .refine((text) => text.trim() !== "", { message: "must not be blank" })
    .meta({ description: "why it is safe to ship" }),
  validFor: z
    .string()
    .default("4h")
    .meta({ description: "how long the approval counts, at most 7d; default 4h" }),
});

export type ApprovalRequest = z.input<typeof ApprovalRequestSchema>;
