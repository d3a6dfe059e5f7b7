import type { FastifyRequest } from "fastify";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { textProblem } from "../core/primitives/text-problem.js";

function check(values: unknown, where: "query parameter" | "path parameter"): void {
  if (typeof values !== "object" || values === null) return;
  for (const [name, value] of Object.entries(values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text !== "string") continue;
      const problem = textProblem(text);
      if (problem !== undefined) {
        throw new DeploysloError("INVALID_REQUEST", `${where} ${name} ${problem}`);
      }
    }
  }
}

/**
 * Refuses query and path parameters that no stored value can equal (NUL, lone surrogates),
 * before a store sees them: PostgreSQL fails on NUL where SQLite finds nothing, and both
 * stores must answer alike.
 */
export async function refuseUnsafeText(request: FastifyRequest): Promise<void> {
  check(request.query, "query parameter");
  check(request.params, "path parameter");
}
