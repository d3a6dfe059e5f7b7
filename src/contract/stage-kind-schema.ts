import { z } from "zod";

/** `active`: work; `wait`: queueing, approvals, hand-offs. */
export const StageKindSchema = z.enum(["active", "wait"]);

export type StageKind = z.output<typeof StageKindSchema>;
