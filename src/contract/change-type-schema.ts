import { z } from "zod";

/** The kind of a change: kinds a policy lists in `exempt` pass a freeze. */
export const ChangeTypeSchema = z.enum(["normal", "hotfix", "rollback"]);

export type ChangeType = z.output<typeof ChangeTypeSchema>;
