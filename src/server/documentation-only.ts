import type { z } from "zod";

const DOCUMENTATION_ONLY = new WeakSet<object>();

/**
 * Marks a body schema as documentation for the OpenAPI document only: the route validates the
 * body with the core's hand-written parser (exact messages per record and field, and the speed
 * a 10,000-record batch needs), which readers-follow-contract.test.ts holds to the schema.
 */
export function documentationOnly<T extends z.ZodType>(schema: T): T {
  DOCUMENTATION_ONLY.add(schema);
  return schema;
}

export function isDocumentationOnly(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && DOCUMENTATION_ONLY.has(schema);
}
