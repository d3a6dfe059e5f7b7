import { z } from "zod";

/** How the dashboard summarises an SLO; see docs/dashboard.md. */
export const SloStateSchema = z.enum(["ok", "burning", "exhausted"]);

export type SloState = z.output<typeof SloStateSchema>;
