import { z } from "zod";

/** Every error answer of the API. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.string()).optional(),
  })
  .meta({
    id: "Problem",
    description: "RFC 9457 problem details; `code` is one of docs/errors.md",
  });

export type Problem = z.output<typeof ProblemSchema>;
