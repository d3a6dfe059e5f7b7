import { z } from "zod";

export const AuditKindSchema = z.enum(["gate_decision", "exemption", "approval"]);

export type AuditKind = z.output<typeof AuditKindSchema>;
