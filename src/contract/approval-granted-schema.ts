import { z } from "zod";

/** What POST /api/v1/approvals answers. */
export const ApprovalGrantedSchema = z.object({
  id: z.string(),
  approver: z.string(),
  expiresAt: z.string(),
  auditSeq: z.number().int(),
});

export type ApprovalGranted = z.output<typeof ApprovalGrantedSchema>;
