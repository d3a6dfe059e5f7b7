import { z } from "zod";

/** One approval, as GET /api/v1/approvals lists it. */
export const ApprovalSchema = z.object({
  id: z.string(),
  approver: z.string(),
  reason: z.string(),
  model: z.string(),
  environment: z.string(),
  version: z.string().nullable(),
  grantedAt: z.string(),
  expiresAt: z.string(),
});

export type ApprovalJson = z.output<typeof ApprovalSchema>;
