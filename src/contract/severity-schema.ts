import { z } from "zod";

/** `page`: wake someone; `ticket`: look during working hours. */
export const SeveritySchema = z.enum(["page", "ticket"]);

export type Severity = z.output<typeof SeveritySchema>;
